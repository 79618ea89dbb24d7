package io.github.posthogflink.testkit.hogql;

import java.util.List;

/** HogQL's {@code persons}: id, properties, created_at. */
final class PersonsScope implements TableScope {
    static final String NAME = "persons";

    private final PropertyTypes personProperties;

    PersonsScope(PropertyTypes personProperties) {
        this.personProperties = personProperties;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> starColumns() {
        return List.of("id", "properties", "created_at");
    }

    @Override
    public String fromClause() {
        return " FROM persons AS pe";
    }

    @Override
    public String rowIdColumn() {
        return "pe.rowid";
    }

    @Override
    public Sql resolve(List<String> chain, String hogql) throws HogQLException {
        String name = chain.get(0);
        List<String> rest = chain.subList(1, chain.size());
        return switch (name) {
            case "id" -> Fields.column("pe.id", HType.UUID, hogql, rest);
            case "created_at" -> Fields.column("pe.created_at", HType.DATETIME, hogql, rest);
            case "properties" -> Fields.properties("pe.properties", rest, personProperties, hogql);
            case HogQLEngine.PERSON_DISTINCT_IDS_FIELD ->
                    Fields.column(
                            "(SELECT string_agg(d.distinct_id, chr(10)) FROM person_distinct_ids"
                                    + " AS d WHERE d.person_id = pe.id)",
                            HType.NULLABLE_STRING,
                            hogql,
                            rest);
            default -> throw Fields.unknown(name);
        };
    }
}
