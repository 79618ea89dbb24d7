package io.github.posthogflink.testkit.hogql;

import java.util.List;

/**
 * HogQL's {@code groups} ({@code posthog/hogql/database/schema/groups.py}): {@code index} (the
 * group type index), {@code key}, {@code created_at}, {@code updated_at}, {@code properties}.
 */
final class GroupsScope implements TableScope {
    static final String NAME = "groups";

    private final PropertyTypes groupProperties;

    GroupsScope(PropertyTypes groupProperties) {
        this.groupProperties = groupProperties;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> starColumns() {
        return List.of("index", "key", "created_at", "updated_at", "properties");
    }

    @Override
    public String fromClause() {
        return " FROM groups AS gr";
    }

    @Override
    public String rowIdColumn() {
        return "gr.rowid";
    }

    @Override
    public Sql resolve(List<String> chain, String hogql) throws HogQLException {
        String name = chain.get(0);
        List<String> rest = chain.subList(1, chain.size());
        return switch (name) {
            case "index" ->
                    Fields.column("CAST(gr.group_type_index AS BIGINT)", HType.INT64, hogql, rest);
            case "key" -> Fields.column("gr.group_key", HType.STRING, hogql, rest);
            case "created_at" -> Fields.column("gr.created_at", HType.DATETIME, hogql, rest);
            case "updated_at" -> Fields.column("gr.updated_at", HType.DATETIME, hogql, rest);
            case "properties" -> Fields.properties("gr.properties", rest, groupProperties, hogql);
            default -> throw Fields.unknown(name);
        };
    }
}
