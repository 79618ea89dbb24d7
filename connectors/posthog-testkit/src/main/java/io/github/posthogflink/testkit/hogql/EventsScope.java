package io.github.posthogflink.testkit.hogql;

import java.util.List;

/**
 * HogQL's {@code events} ({@code posthog/hogql/database/schema/events.py}). The person fields join
 * persons through {@code person_distinct_ids}, only when a query uses one. {@code $session_id},
 * {@code $window_id} and {@code $group_0}…{@code $group_4} are read from the properties, as
 * ClickHouse materialises those columns ({@code ''} when missing).
 */
final class EventsScope implements TableScope {
    static final String NAME = "events";

    /** PostHog's {@code SELECT *}: the plain columns of the table, minus the hidden ones. */
    private static final List<String> STAR =
            List.of(
                    "uuid",
                    "event",
                    "properties",
                    "timestamp",
                    "distinct_id",
                    "elements_chain",
                    "created_at",
                    "$session_id",
                    "$window_id",
                    "person_mode",
                    "$group_0",
                    "$group_1",
                    "$group_2",
                    "$group_3",
                    "$group_4");

    private static final String PROPERTIES = "ev.properties";

    private final PropertyTypes eventProperties;
    private final PropertyTypes personProperties;
    private boolean personJoin;

    EventsScope(PropertyTypes eventProperties, PropertyTypes personProperties) {
        this.eventProperties = eventProperties;
        this.personProperties = personProperties;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> starColumns() {
        return STAR;
    }

    @Override
    public String fromClause() {
        String from = " FROM events AS ev";
        if (personJoin) {
            from +=
                    " LEFT JOIN person_distinct_ids AS pdi ON pdi.distinct_id = ev.distinct_id"
                            + " LEFT JOIN persons AS p ON p.id = pdi.person_id";
        }
        return from;
    }

    @Override
    public String rowIdColumn() {
        return "ev.seq";
    }

    @Override
    public Sql resolve(List<String> chain, String hogql) throws HogQLException {
        String name = chain.get(0);
        List<String> rest = chain.subList(1, chain.size());
        switch (name) {
            case "uuid":
                return Fields.column("ev.uuid", HType.UUID, hogql, rest);
            case "event":
                return Fields.column("ev.event", HType.STRING, hogql, rest);
            case "distinct_id":
                return Fields.column("ev.distinct_id", HType.STRING, hogql, rest);
            case "timestamp":
                return Fields.column("ev.\"timestamp\"", HType.DATETIME, hogql, rest);
            case "created_at":
                return Fields.column("ev.created_at", HType.DATETIME, hogql, rest);
            case "elements_chain":
                return Fields.column("ev.elements_chain", HType.STRING, hogql, rest);
            case "properties":
                return Fields.properties(PROPERTIES, rest, eventProperties, hogql);
            case "$session_id":
            case "$window_id":
            case "$group_0":
            case "$group_1":
            case "$group_2":
            case "$group_3":
            case "$group_4":
                return Fields.materialised(PROPERTIES, name, hogql, rest);
            case "person_mode":
                return Fields.column(
                        "(CASE WHEN "
                                + Fields.rawProperty(PROPERTIES, List.of("$process_person_profile"))
                                + " = 'false' THEN 'propertyless' ELSE 'full' END)",
                        HType.STRING,
                        hogql,
                        rest);
            case "person_id":
                personJoin = true;
                return Fields.column("pdi.person_id", HType.UUID.withNullable(true), hogql, rest);
            case "person":
                return personField(rest, hogql);
            default:
                throw Fields.unknown(name);
        }
    }

    private Sql personField(List<String> chain, String hogql) throws HogQLException {
        if (chain.isEmpty()) {
            throw new HogQLException("Can't select a table when a column is expected: person");
        }
        personJoin = true;
        List<String> rest = chain.subList(1, chain.size());
        return switch (chain.get(0)) {
            case "id" -> Fields.column("pdi.person_id", HType.UUID.withNullable(true), hogql, rest);
            case "created_at" ->
                    Fields.column("p.created_at", HType.DATETIME.withNullable(true), hogql, rest);
            case "properties" -> {
                Sql value = Fields.properties("p.properties", rest, personProperties, hogql);
                // Events without a person have no person properties at all.
                yield Sql.expr(value.sql(), value.type().withNullable(true), hogql);
            }
            default -> throw Fields.unknown("person." + chain.get(0));
        };
    }
}
