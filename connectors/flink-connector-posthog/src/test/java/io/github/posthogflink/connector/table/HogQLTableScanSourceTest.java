package io.github.posthogflink.connector.table;

import io.github.posthogflink.connector.source.hogql.HogQLMode;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.connector.source.abilities.SupportsFilterPushDown;
import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.types.DataType;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** What the planner pushes into a table-mode scan, what stays in Flink, and what it reports. */
class HogQLTableScanSourceTest {
    private static final List<String> NAMES = List.of("uuid", "event", "plan", "timestamp");
    private static final DataType ROW =
            DataTypes.ROW(
                    DataTypes.FIELD("uuid", DataTypes.STRING()),
                    DataTypes.FIELD("event", DataTypes.STRING()),
                    DataTypes.FIELD("plan", DataTypes.STRING()),
                    DataTypes.FIELD("timestamp", DataTypes.TIMESTAMP_LTZ(6)));

    @Test
    void pushedPartsAreSentAndReportedTheRestRemains() {
        HogQLTableScanSource source = source(Map.of("hogql.bounded", "true"));
        ResolvedExpression pushable =
                CallExpression.permanent(
                        BuiltInFunctionDefinitions.EQUALS,
                        List.of(field("plan", 2), new ValueLiteralExpression("pro")),
                        DataTypes.BOOLEAN());
        ResolvedExpression notPushable =
                CallExpression.permanent(
                        BuiltInFunctionDefinitions.EQUALS,
                        List.of(
                                CallExpression.permanent(
                                        BuiltInFunctionDefinitions.UPPER,
                                        List.of(field("event", 1)),
                                        DataTypes.STRING()),
                                new ValueLiteralExpression("X")),
                        DataTypes.BOOLEAN());

        SupportsFilterPushDown.Result result = source.applyFilters(List.of(pushable, notPushable));
        source.applyProjection(
                new int[][] {{2}}, DataTypes.ROW(DataTypes.FIELD("plan", DataTypes.STRING())));
        source.applyLimit(10);

        assertThat(result.getAcceptedFilters()).containsExactly(pushable);
        assertThat(result.getRemainingFilters()).containsExactly(notPushable);
        assertThat(source.asSummaryString())
                .isEqualTo(
                        "PostHog HogQL (bounded): SELECT properties.plan AS plan, timestamp, uuid"
                                + " FROM events WHERE (properties.plan = 'pro') AND (timestamp >"
                                + " toDateTime({phf_cursor_ts}) OR (timestamp ="
                                + " toDateTime({phf_cursor_ts}) AND uuid > {phf_cursor_uuid}))"
                                + " AND timestamp <= toDateTime({phf_until}) ORDER BY timestamp,"
                                + " uuid LIMIT {phf_page_size}; limit 10");
        assertThat(source(Map.of("hogql.bounded", "true")).asSummaryString())
                .endsWith("; slices of 24h");
        assertThat(source(Map.of()).asSummaryString()).doesNotContain("slices", "(bounded)");
    }

    @Test
    void tableModeOptionsAreChecked() {
        assertThat(error("id STRING", "'hogql.table' = 'events', 'hogql.query' = 'SELECT 1'"))
                .contains("'hogql.query' does not apply to the table mode");
        assertThat(error("id STRING", "'hogql.table' = 'events', 'hogql.column.nope' = 'x'"))
                .contains("'hogql.column.nope' names no column");
        assertThat(
                        error(
                                "`timestamp` STRING",
                                "'hogql.table' = 'events', 'hogql.column.timestamp' ="
                                        + " 'properties.timestamp'"))
                .contains("named as the table's cursor field");
        assertThat(error("`a%b` STRING", "'hogql.table' = 'events'")).contains("\"%\" character");
        assertThat(error("id STRING", "'hogql.query' = 'SELECT 1', 'hogql.column.id' = 'x'"))
                .contains("applies to the table mode");
    }

    @Test
    void explainShowsWhatIsPushedAndKeepsTheRestInFlink() {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.executeSql(
                "CREATE TABLE h (uuid STRING, event STRING, plan STRING, `timestamp`"
                        + " TIMESTAMP_LTZ(6)) WITH ('connector' = 'posthog-hogql',"
                        + " 'personal-api-key' = 'phx_k', 'project-id' = '1', 'hogql.table' ="
                        + " 'events', 'hogql.bounded' = 'true', 'hogql.column.plan' ="
                        + " 'properties.plan')");

        String plan =
                env.explainSql(
                        "SELECT plan FROM h WHERE event = 'signup' AND UPPER(plan) = 'PRO'"
                                + " LIMIT 5");

        String scan = plan.substring(plan.indexOf("== Optimized Physical Plan =="));
        assertThat(scan)
                .contains("filter=[=(event, _UTF-16LE'signup'")
                // The pushed filter's column is read by PostHog only: not selected.
                .contains("project=[plan]]]")
                .containsPattern("Calc\\(select=\\[plan\\], where=\\[=\\(UPPER\\(plan\\)");
        // A LIMIT above a filter that stays in Flink is not pushed: it would cut rows too early.
        assertThat(scan).doesNotContain("limit=[5]");
        assertThat(plan).doesNotContain("phx_k");
    }

    private static String error(String columns, String options) {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.executeSql(
                "CREATE TABLE h ("
                        + columns
                        + ") WITH ('connector' = 'posthog-hogql', 'personal-api-key' = 'phx_k',"
                        + " 'project-id' = '1', "
                        + options
                        + ")");
        Throwable error = catchThrowable(() -> env.explainSql("SELECT * FROM h"));
        assertThat(error).isNotNull();
        String text = ExceptionUtils.stringifyException(error);
        assertThat(text).doesNotContain("phx_k");
        return text;
    }

    private static HogQLTableScanSource source(Map<String, String> extra) {
        Map<String, String> options =
                new HashMap<>(Map.of("personal-api-key", "phx_k", "project-id", "1"));
        options.putAll(extra);
        HogQLTableSettings settings =
                HogQLTableSourceFactory.settings(
                        Configuration.fromMap(options),
                        HogQLMode.INCREMENTAL,
                        null,
                        "events",
                        "timestamp",
                        "uuid",
                        List.of());
        HogQLTableColumns columns =
                HogQLTableColumns.of(
                        "events", NAMES, Map.of("hogql.column.plan", "properties.plan"));
        return new HogQLTableScanSource(
                settings, new HogQLTableQuery(columns, NAMES, ROW, null, "timestamp", "uuid"));
    }

    private static FieldReferenceExpression field(String name, int index) {
        return new FieldReferenceExpression(name, DataTypes.STRING(), 0, index);
    }
}
