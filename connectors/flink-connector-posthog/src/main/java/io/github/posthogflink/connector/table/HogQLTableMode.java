package io.github.posthogflink.connector.table;

import io.github.posthogflink.connector.source.hogql.HogQLMode;

import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.factories.DynamicTableFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_CURSOR_COLUMN;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_FROM;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_MODE;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_QUERY;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_SELECT;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_TIE_BREAKER_COLUMN;

/**
 * Creates the table mode's source ({@code 'hogql.table'}): the columns' HogQL expressions and the
 * table's cursor, by default PostHog's ordering columns of the table.
 */
final class HogQLTableMode {
    /** Cursor and tie-breaker of PostHog's tables; other tables take the options' defaults. */
    private static final Map<String, List<String>> CURSORS =
            Map.of(
                    "events", List.of("timestamp", "uuid"),
                    "persons", List.of("created_at", "id"),
                    "sessions", List.of("$start_timestamp", "session_id"),
                    "groups", List.of("created_at", "key"));

    private HogQLTableMode() {}

    static HogQLTableScanSource create(
            String table,
            ReadableConfig options,
            DynamicTableFactory.Context context,
            List<String> key) {
        for (var option : List.of(HOGQL_QUERY, HOGQL_SELECT, HOGQL_FROM, HOGQL_MODE)) {
            if (options.getOptional(option).isPresent()) {
                throw new ValidationException(
                        "Option '"
                                + option.key()
                                + "' does not apply to the table mode ('hogql.table'): the"
                                + " planner builds the query from the declared columns.");
            }
        }
        if (!key.isEmpty()) {
            throw new ValidationException(
                    "A table-mode posthog-hogql table ('hogql.table') takes no PRIMARY KEY.");
        }
        ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
        List<String> names =
                schema.getColumns().stream()
                        .filter(Column::isPhysical)
                        .map(Column::getName)
                        .toList();
        HogQLTableColumns columns =
                HogQLTableColumns.of(table, names, context.getCatalogTable().getOptions());
        List<String> cursor =
                CURSORS.getOrDefault(
                        table.toLowerCase(Locale.ROOT),
                        List.of(
                                HOGQL_CURSOR_COLUMN.defaultValue(),
                                HOGQL_TIE_BREAKER_COLUMN.defaultValue()));
        String cursorField = options.getOptional(HOGQL_CURSOR_COLUMN).orElse(cursor.get(0));
        String tieField = options.getOptional(HOGQL_TIE_BREAKER_COLUMN).orElse(cursor.get(1));
        for (String field : List.of(cursorField, tieField)) {
            if (columns.has(field) && !columns.expression(field).equals(field)) {
                throw new ValidationException(
                        "Column '"
                                + field
                                + "' is named as the table's cursor field but maps to '"
                                + columns.expression(field)
                                + "'; rename it (its alias would hide the field the read pages"
                                + " by).");
            }
        }
        HogQLTableSettings settings =
                HogQLTableSourceFactory.settings(
                        options, HogQLMode.INCREMENTAL, null, table, cursorField, tieField, key);
        HogQLTableQuery query =
                new HogQLTableQuery(
                        columns,
                        names,
                        context.getPhysicalRowDataType(),
                        settings.where(),
                        cursorField,
                        tieField);
        return new HogQLTableScanSource(settings, query);
    }
}
