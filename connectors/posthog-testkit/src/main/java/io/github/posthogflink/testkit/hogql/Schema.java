package io.github.posthogflink.testkit.hogql;

import java.util.List;
import java.util.Locale;

/** The tables HogQL sees and how their fields map onto the DuckDB store. */
final class Schema {
    static final String EVENTS = "events";
    static final String PERSONS = "persons";

    /** Columns that {@code SELECT *} expands to, per table. */
    static List<String> starColumns(String table) {
        return table.equals(EVENTS)
                ? List.of("uuid", "event", "properties", "timestamp", "distinct_id", "person_id")
                : List.of("id", "properties", "created_at");
    }

    private final String table;
    private final PropertyTypes eventProperties;
    private final PropertyTypes personProperties;
    private boolean personJoin;

    Schema(String table, PropertyTypes eventProperties, PropertyTypes personProperties)
            throws HogQLException {
        String lower = table == null ? null : table.toLowerCase(Locale.ROOT);
        if (lower != null && !lower.equals(EVENTS) && !lower.equals(PERSONS)) {
            throw new HogQLException(
                    "Unknown table `" + table + "`. This testkit supports: events, persons");
        }
        this.table = lower;
        this.eventProperties = eventProperties;
        this.personProperties = personProperties;
    }

    String table() {
        return table;
    }

    /** The FROM clause in DuckDB, joining persons only if a person field was used. */
    String fromClause() {
        if (table == null) {
            return "";
        }
        if (table.equals(PERSONS)) {
            return " FROM persons AS pe";
        }
        String from = " FROM events AS ev";
        if (personJoin) {
            from +=
                    " LEFT JOIN person_distinct_ids AS pdi ON pdi.distinct_id = ev.distinct_id"
                            + " LEFT JOIN persons AS p ON p.id = pdi.person_id";
        }
        return from;
    }

    /** A column that identifies a row of the FROM table within one statement. */
    String rowIdColumn() {
        return EVENTS.equals(table) ? "ev.seq" : "pe.rowid";
    }

    /** Resolves a field chain with any table prefix already removed. */
    Sql resolve(List<String> chain, String hogql) throws HogQLException {
        if (table == null) {
            throw new HogQLException(
                    "Unable to resolve field: " + chain.get(0) + " (no FROM clause)");
        }
        String name = chain.get(0);
        List<String> rest = chain.subList(1, chain.size());
        if (table.equals(PERSONS)) {
            return switch (name) {
                case "id" -> column("pe.id", HType.UUID, hogql, rest);
                case "created_at" -> column("pe.created_at", HType.DATETIME, hogql, rest);
                case "properties" -> properties("pe.properties", rest, personProperties, hogql);
                default -> throw unknown(name);
            };
        }
        switch (name) {
            case "uuid":
                return column("ev.uuid", HType.UUID, hogql, rest);
            case "event":
                return column("ev.event", HType.STRING, hogql, rest);
            case "distinct_id":
                return column("ev.distinct_id", HType.STRING, hogql, rest);
            case "timestamp":
                return column("ev.\"timestamp\"", HType.DATETIME, hogql, rest);
            case "properties":
                return properties("ev.properties", rest, eventProperties, hogql);
            case "person_id":
                personJoin = true;
                return column("pdi.person_id", HType.UUID.withNullable(true), hogql, rest);
            case "person":
                return personField(rest, hogql);
            default:
                throw unknown(name);
        }
    }

    private Sql personField(List<String> chain, String hogql) throws HogQLException {
        if (chain.isEmpty()) {
            throw new HogQLException("Can't select a table when a column is expected: person");
        }
        personJoin = true;
        List<String> rest = chain.subList(1, chain.size());
        return switch (chain.get(0)) {
            case "id" -> column("pdi.person_id", HType.UUID.withNullable(true), hogql, rest);
            case "created_at" ->
                    column("p.created_at", HType.DATETIME.withNullable(true), hogql, rest);
            case "properties" -> {
                Sql value = properties("p.properties", rest, personProperties, hogql);
                // Events without a person have no person properties at all.
                yield Sql.expr(value.sql(), value.type().withNullable(true), hogql);
            }
            default -> throw unknown("person." + chain.get(0));
        };
    }

    private static Sql column(String sql, HType type, String hogql, List<String> rest)
            throws HogQLException {
        if (!rest.isEmpty()) {
            throw new HogQLException(
                    "Unable to resolve field: "
                            + hogql
                            + " ("
                            + type.baseName()
                            + " has no fields)");
        }
        return Sql.expr(sql, type, hogql);
    }

    /**
     * {@code properties.a.b}: like PostHog's print of property access, {@code
     * replaceRegexpAll(nullIf(nullIf(JSONExtractRaw(properties, 'a', 'b'), ''), 'null'), '^"|"$',
     * '')}, a nullable string; a top-level Numeric or Boolean property is then converted as
     * PostHog's property swapper does.
     */
    private static Sql properties(
            String column, List<String> keys, PropertyTypes types, String hogql)
            throws HogQLException {
        if (keys.isEmpty()) {
            return Sql.expr(column, HType.STRING, hogql);
        }
        StringBuilder path = new StringBuilder("$");
        for (String key : keys) {
            if (key.indexOf('"') >= 0 || key.indexOf('\\') >= 0) {
                throw new HogQLException("Unsupported: property names with \" or \\: " + key);
            }
            path.append(".\"").append(key).append('"');
        }
        // The quotes of a JSON string are its first and last characters; nothing else starts with
        // one.
        String extracted =
                "nullif(CAST(json_extract("
                        + column
                        + ", "
                        + SqlLiterals.string(path.toString())
                        + ") AS VARCHAR), 'null')";
        String raw =
                "(CASE WHEN starts_with("
                        + extracted
                        + ", '\"') THEN "
                        + extracted
                        + "[2:-2] ELSE "
                        + extracted
                        + " END)";
        if (keys.size() == 1) {
            switch (types.typeOf(keys.get(0))) {
                case NUMERIC:
                    return Sql.expr(
                            "TRY_CAST(" + raw + " AS DOUBLE)",
                            HType.FLOAT64.withNullable(true),
                            hogql);
                case BOOLEAN:
                    return Sql.expr(
                            "(CASE " + raw + " WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END)",
                            HType.BOOL.withNullable(true),
                            hogql);
                default:
                    break;
            }
        }
        return Sql.expr(raw, HType.NULLABLE_STRING, hogql);
    }

    private static HogQLException unknown(String name) {
        return new HogQLException("Unable to resolve field: " + name);
    }
}
