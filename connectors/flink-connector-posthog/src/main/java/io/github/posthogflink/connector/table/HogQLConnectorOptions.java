package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.query.QueryRefresh;
import io.github.posthogflink.connector.source.hogql.HogQLMode;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/**
 * The {@code hogql.*} options of the {@code posthog-hogql} scan table (the common options are in
 * {@link PostHogConnectorOptions}).
 */
@PublicEvolving
public final class HogQLConnectorOptions {

    private HogQLConnectorOptions() {}

    public static final ConfigOption<HogQLMode> HOGQL_MODE =
            ConfigOptions.key("hogql.mode")
                    .enumType(HogQLMode.class)
                    .defaultValue(HogQLMode.SNAPSHOT)
                    .withDescription(
                            "SNAPSHOT: poll hogql.query as a whole (a PRIMARY KEY makes it an"
                                    + " upsert changelog); INCREMENTAL: page through hogql.from in"
                                    + " cursor order.");

    public static final ConfigOption<String> HOGQL_TABLE =
            ConfigOptions.key("hogql.table")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Table mode: the HogQL table the Flink table stands for (events,"
                                    + " persons, sessions, groups or a data warehouse table)."
                                    + " Flink's planner then sends only the referenced columns,"
                                    + " the filters it can translate and the LIMIT.");

    /**
     * Table mode: {@code 'hogql.column.<column>' = '<HogQL expression>'} maps a declared column to
     * a HogQL expression (default: the column's name as a field path, so {@code
     * `properties.$browser`} reads that property).
     */
    public static final String HOGQL_COLUMN_PREFIX = "hogql.column.";

    public static final ConfigOption<Duration> HOGQL_SLICE_SIZE =
            ConfigOptions.key("hogql.slice-size")
                    .durationType()
                    .defaultValue(Duration.ofDays(1))
                    .withDescription(
                            "Table mode, bounded: the time range is read in slices of this"
                                    + " length (UTC days by default), one split each, in"
                                    + " parallel; 0 reads it as one split.");

    public static final ConfigOption<String> HOGQL_END_TIMESTAMP =
            ConfigOptions.key("hogql.end-timestamp")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Bounded incremental or table mode: read rows up to this ISO-8601"
                                    + " instant; default: the job's start.");

    public static final ConfigOption<String> HOGQL_QUERY =
            ConfigOptions.key("hogql.query")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Snapshot query; give it a LIMIT (at most 50000).");

    public static final ConfigOption<String> HOGQL_SELECT =
            ConfigOptions.key("hogql.select")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Incremental select list; default: the table's column names. Must"
                                    + " include the cursor and tie-breaker columns.");

    public static final ConfigOption<String> HOGQL_FROM =
            ConfigOptions.key("hogql.from")
                    .stringType()
                    .defaultValue("events")
                    .withDescription("Incremental: the table to page through.");

    public static final ConfigOption<String> HOGQL_WHERE =
            ConfigOptions.key("hogql.where")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Incremental: a filter.");

    public static final ConfigOption<String> HOGQL_CURSOR_COLUMN =
            ConfigOptions.key("hogql.cursor-column")
                    .stringType()
                    .defaultValue("timestamp")
                    .withDescription(
                            "Incremental: the ordering column (table mode: by table, e.g."
                                    + " created_at for persons).");

    public static final ConfigOption<String> HOGQL_TIE_BREAKER_COLUMN =
            ConfigOptions.key("hogql.tie-breaker-column")
                    .stringType()
                    .defaultValue("uuid")
                    .withDescription("Incremental: orders rows with equal cursor values.");

    public static final ConfigOption<Boolean> HOGQL_BOUNDED =
            ConfigOptions.key("hogql.bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Finish after one snapshot, or after the rows up to the job's start.");

    public static final ConfigOption<Duration> HOGQL_POLL_INTERVAL =
            ConfigOptions.key("hogql.poll-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("Between snapshot polls; between pages once caught up.");

    public static final ConfigOption<Integer> HOGQL_PAGE_SIZE =
            ConfigOptions.key("hogql.page-size")
                    .intType()
                    .defaultValue(10_000)
                    .withDescription("Incremental (and paged snapshot) page size, 1..50000.");

    public static final ConfigOption<String> HOGQL_SNAPSHOT_PAGE_KEY =
            ConfigOptions.key("hogql.snapshot.page-key")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Snapshot: read each poll in pages of hogql.page-size rows by this"
                                    + " unique column (keyset, never OFFSET). hogql.query then"
                                    + " pages itself: WHERE key > {phf_page_after} ... ORDER BY key"
                                    + " LIMIT {phf_page_size}.");

    public static final ConfigOption<String> HOGQL_SNAPSHOT_PAGE_START =
            ConfigOptions.key("hogql.snapshot.page-start")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Snapshot paging: {phf_page_after} for the first page (a value below"
                                    + " every key).");

    public static final ConfigOption<Boolean> HOGQL_ASYNC_EXECUTION =
            ConfigOptions.key("hogql.async-execution")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Run queries asynchronously (force_async, status polling) or, when"
                                    + " false, blocking (force_blocking). 'hogql.refresh' wins"
                                    + " when set.");

    public static final ConfigOption<QueryRefresh> HOGQL_REFRESH =
            ConfigOptions.key("hogql.refresh")
                    .enumType(QueryRefresh.class)
                    .noDefaultValue()
                    .withDescription(
                            "PostHog's refresh mode for every poll, e.g. force_async, blocking,"
                                    + " async, lazy_async. Cached modes answer from PostHog's"
                                    + " result cache until stale (5 minutes for HogQL).");

    public static final ConfigOption<Duration> HOGQL_QUERY_TIMEOUT =
            ConfigOptions.key("hogql.query-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription("One poll, retries and budget waits included.");

    public static final ConfigOption<String> HOGQL_START_TIMESTAMP =
            ConfigOptions.key("hogql.start-timestamp")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Incremental: read rows after this ISO-8601 instant; default: all.");

    public static final ConfigOption<Duration> HOGQL_MAX_INGESTION_DELAY =
            ConfigOptions.key("hogql.max-ingestion-delay")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription("Incremental, unbounded: stay this far behind now.");

    public static final ConfigOption<Duration> HOGQL_LATE_ROW_WINDOW =
            ConfigOptions.key("hogql.late-row-window")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "Incremental, unbounded: how far behind the cursor rows are counted"
                                    + " that arrived too late to be read (metric lateRows);"
                                    + " 0 turns the check off.");

    public static final ConfigOption<Duration> HOGQL_LATE_ROW_CHECK_INTERVAL =
            ConfigOptions.key("hogql.late-row-check-interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription("Incremental, unbounded: how often the late-row check runs.");

    public static final ConfigOption<Double> HOGQL_QUERY_BUDGET_SHARE =
            ConfigOptions.key("hogql.query-budget-share")
                    .doubleType()
                    .defaultValue(1.0)
                    .withDescription("This JVM's share of the organization's query budget.");
}
