package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.query.QueryRefresh;
import io.github.posthogflink.connector.source.hogql.HogQLMode;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_ASYNC_EXECUTION;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_BOUNDED;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_CURSOR_COLUMN;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_END_TIMESTAMP;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_FROM;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_LATE_ROW_CHECK_INTERVAL;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_LATE_ROW_WINDOW;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_MAX_INGESTION_DELAY;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_MODE;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_PAGE_SIZE;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_POLL_INTERVAL;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_QUERY;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_QUERY_BUDGET_SHARE;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_QUERY_TIMEOUT;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_REFRESH;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_SELECT;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_SLICE_SIZE;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_SNAPSHOT_PAGE_KEY;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_SNAPSHOT_PAGE_START;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_START_TIMESTAMP;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_TABLE;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_TIE_BREAKER_COLUMN;
import static io.github.posthogflink.connector.table.HogQLConnectorOptions.HOGQL_WHERE;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PERSONAL_API_KEY;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PROJECT_ID;

/**
 * Factory of the {@code posthog-hogql} scan table: HogQL query results as a table, polled as
 * snapshots or paged incrementally, or (with {@code hogql.table}) a HogQL table whose columns,
 * filters and LIMIT the planner pushes down. The schema is the DDL's; columns are matched to the
 * result by name.
 */
@PublicEvolving
public final class HogQLTableSourceFactory implements DynamicTableSourceFactory {

    public static final String IDENTIFIER = "posthog-hogql";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        // The key option too under credentials.provider = INLINE (checked on creation).
        return Set.of(PROJECT_ID);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>(PostHogTableConfigs.commonOptions());
        options.removeAll(requiredOptions());
        options.addAll(
                Set.of(
                        HOGQL_MODE,
                        HOGQL_TABLE,
                        HOGQL_SLICE_SIZE,
                        HOGQL_END_TIMESTAMP,
                        HOGQL_QUERY,
                        HOGQL_SELECT,
                        HOGQL_FROM,
                        HOGQL_WHERE,
                        HOGQL_CURSOR_COLUMN,
                        HOGQL_TIE_BREAKER_COLUMN,
                        HOGQL_BOUNDED,
                        HOGQL_POLL_INTERVAL,
                        HOGQL_PAGE_SIZE,
                        HOGQL_SNAPSHOT_PAGE_KEY,
                        HOGQL_SNAPSHOT_PAGE_START,
                        HOGQL_ASYNC_EXECUTION,
                        HOGQL_REFRESH,
                        HOGQL_QUERY_TIMEOUT,
                        HOGQL_START_TIMESTAMP,
                        HOGQL_MAX_INGESTION_DELAY,
                        HOGQL_LATE_ROW_WINDOW,
                        HOGQL_LATE_ROW_CHECK_INTERVAL,
                        HOGQL_QUERY_BUDGET_SHARE,
                        FactoryUtil.SOURCE_PARALLELISM));
        return options;
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validateExcept(HogQLConnectorOptions.HOGQL_COLUMN_PREFIX);
        ReadableConfig options = helper.getOptions();
        PostHogTableConfigs.requireKey(options, PERSONAL_API_KEY);
        ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
        List<String> key =
                schema.getPrimaryKey().map(UniqueConstraint::getColumns).orElse(List.of());
        String table = options.getOptional(HOGQL_TABLE).orElse(null);
        if (table != null) {
            return HogQLTableMode.create(table, options, context, key);
        }
        Map<String, String> given = context.getCatalogTable().getOptions();
        for (String option : given.keySet()) {
            if (option.startsWith(HogQLConnectorOptions.HOGQL_COLUMN_PREFIX)) {
                throw new ValidationException(
                        "Option '" + option + "' applies to the table mode ('hogql.table') only.");
            }
        }
        HogQLMode mode = options.get(HOGQL_MODE);
        String select = null;
        if (mode == HogQLMode.SNAPSHOT) {
            PostHogTableConfigs.require(options, HOGQL_QUERY, "in 'hogql.mode' snapshot");
        } else {
            if (!key.isEmpty()) {
                throw new ValidationException(
                        "A PRIMARY KEY makes a snapshot table an upsert changelog; an"
                                + " incremental posthog-hogql table takes none.");
            }
            select =
                    options.getOptional(HOGQL_SELECT)
                            .orElse(String.join(", ", schema.getColumnNames()));
        }
        HogQLTableSettings settings =
                settings(
                        options,
                        mode,
                        select,
                        options.get(HOGQL_FROM),
                        options.get(HOGQL_CURSOR_COLUMN),
                        options.get(HOGQL_TIE_BREAKER_COLUMN),
                        key);
        return new HogQLScanTableSource(
                context.getPhysicalRowDataType(), settings, scanParallelism(options));
    }

    /**
     * 'scan.parallelism', else 1: a query or incremental read is one split, so more readers would
     * only finish at once.
     */
    private static int scanParallelism(ReadableConfig options) {
        int parallelism = options.getOptional(FactoryUtil.SOURCE_PARALLELISM).orElse(1);
        if (parallelism < 1) {
            throw new ValidationException(
                    "Option '" + FactoryUtil.SOURCE_PARALLELISM.key() + "' must be >= 1.");
        }
        return parallelism;
    }

    /** The settings every mode shares, validated. */
    static HogQLTableSettings settings(
            ReadableConfig options,
            HogQLMode mode,
            String select,
            String from,
            String cursorColumn,
            String tieBreakerColumn,
            List<String> key) {
        int pageSize = options.get(HOGQL_PAGE_SIZE);
        if (pageSize < 1 || pageSize > 50_000) {
            throw new ValidationException("Option 'hogql.page-size' must be in 1..50000.");
        }
        if (options.get(HOGQL_SLICE_SIZE).isNegative()) {
            throw new ValidationException("Option 'hogql.slice-size' must be >= 0.");
        }
        return new HogQLTableSettings(
                PostHogTableConfigs.clientConfig(options),
                mode,
                options.getOptional(HOGQL_QUERY).orElse(null),
                select,
                from,
                options.getOptional(HOGQL_WHERE).orElse(null),
                cursorColumn,
                tieBreakerColumn,
                options.get(HOGQL_BOUNDED),
                options.get(HOGQL_POLL_INTERVAL),
                pageSize,
                refresh(options),
                options.get(HOGQL_QUERY_TIMEOUT),
                instant(options, HOGQL_START_TIMESTAMP),
                options.get(HOGQL_MAX_INGESTION_DELAY),
                options.get(HOGQL_LATE_ROW_WINDOW),
                options.get(HOGQL_LATE_ROW_CHECK_INTERVAL),
                options.get(HOGQL_QUERY_BUDGET_SHARE),
                key,
                options.getOptional(HOGQL_SNAPSHOT_PAGE_KEY).orElse(null),
                options.get(HOGQL_SNAPSHOT_PAGE_START),
                instant(options, HOGQL_END_TIMESTAMP),
                options.get(HOGQL_SLICE_SIZE));
    }

    /** 'hogql.refresh' when set, else force_async or force_blocking by 'hogql.async-execution'. */
    private static QueryRefresh refresh(ReadableConfig options) {
        return options.getOptional(HOGQL_REFRESH)
                .orElse(
                        options.get(HOGQL_ASYNC_EXECUTION)
                                ? QueryRefresh.FORCE_ASYNC
                                : QueryRefresh.FORCE_BLOCKING);
    }

    private static Instant instant(ReadableConfig options, ConfigOption<String> option) {
        return options.getOptional(option)
                .map(
                        text -> {
                            try {
                                return Instant.parse(text);
                            } catch (DateTimeParseException e) {
                                throw new ValidationException(
                                        "Option '"
                                                + option.key()
                                                + "' must be an ISO-8601 instant, e.g."
                                                + " 2026-01-01T00:00:00Z.");
                            }
                        })
                .orElse(null);
    }
}
