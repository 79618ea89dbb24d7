package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.PostHogCredentials;
import io.github.posthogflink.client.query.HogQLQuery;
import io.github.posthogflink.client.query.QueryRefresh;
import io.github.posthogflink.client.query.QueryResponse;
import io.github.posthogflink.client.ratelimit.RateLimitPolicy;
import io.github.posthogflink.connector.source.hogql.HogQLSourceOptions.IncrementalQuery;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.github.posthogflink.connector.source.hogql.HogQLSourceChecks.requirePositive;

/** Builds a {@link HogQLSource}. Required: {@link #client}, a query, a deserializer. */
@PublicEvolving
public final class HogQLSourceBuilder<T> {
    /** PostHog's largest page ({@code MAX_SELECT_RETURNED_ROWS}). */
    public static final int MAX_PAGE_SIZE = 50_000;

    private PostHogClientConfig client;
    private HogQLMode mode;
    private boolean bounded;
    @Nullable private String snapshotQuery;
    @Nullable private String select;
    @Nullable private String from;
    @Nullable private String where;
    private String cursorColumn = "timestamp";
    private String tieBreakerColumn = "uuid";
    private final Map<String, Object> values = new LinkedHashMap<>();
    private List<String> changelogKey = List.of();
    @Nullable private String snapshotPageKey;
    @Nullable private Object snapshotFirstPageAfter;
    private Duration pollInterval = Duration.ofSeconds(30);
    private int pageSize = 10_000;
    private String queryName = "posthog-flink-hogql-source";
    private QueryRefresh refresh = QueryRefresh.FORCE_ASYNC;
    private Duration asyncStatusInterval = Duration.ofSeconds(1);
    private Duration queryTimeout = Duration.ofMinutes(5);
    private Duration failureBackoff = Duration.ofSeconds(1);
    private Duration maxFailureBackoff = Duration.ofMinutes(1);
    private Instant startTimestamp = Instant.EPOCH;
    private Duration maxIngestionDelay = Duration.ofMinutes(1);
    private Duration lateRowWindow = Duration.ofMinutes(10);
    private Duration lateRowCheckInterval = Duration.ofMinutes(1);
    private double queryBudgetShare = 1.0;
    private Clock clock = Clock.systemUTC();
    private long limit;
    @Nullable private Duration sliceSize;
    @Nullable private Instant endTimestamp;
    private boolean wrapsSnapshotPages;
    @Nullable private HogQLRowDeserializer<T> deserializer;

    HogQLSourceBuilder() {}

    /** The PostHog API host, project id and personal API key (with query read access). */
    public HogQLSourceBuilder<T> client(PostHogClientConfig config) {
        this.client = config;
        return this;
    }

    /**
     * Snapshot mode: every poll runs {@code query} and emits its whole result. Give the query a
     * LIMIT: without one PostHog returns 100 rows, and a result with more rows fails the source.
     */
    public HogQLSourceBuilder<T> snapshot(String query) {
        this.mode = HogQLMode.SNAPSHOT;
        this.snapshotQuery = query;
        return this;
    }

    /**
     * Incremental mode: {@code SELECT select FROM from WHERE [where AND] (cursor after the last
     * row) ORDER BY cursor, tie-breaker LIMIT pageSize}. {@code select} must include the cursor and
     * tie-breaker columns by name (default {@code timestamp} and {@code uuid}).
     */
    public HogQLSourceBuilder<T> incremental(String select, String from) {
        this.mode = HogQLMode.INCREMENTAL;
        this.select = select;
        this.from = from;
        return this;
    }

    /** A filter for incremental mode, e.g. {@code event = {name}} with {@link #value}. */
    public HogQLSourceBuilder<T> where(@Nullable String where) {
        this.where = where;
        return this;
    }

    /** Cursor and tie-breaker columns (incremental). Default: {@code timestamp}, {@code uuid}. */
    public HogQLSourceBuilder<T> cursor(String cursorColumn, String tieBreakerColumn) {
        this.cursorColumn = Objects.requireNonNull(cursorColumn);
        this.tieBreakerColumn = Objects.requireNonNull(tieBreakerColumn);
        return this;
    }

    /**
     * Bounded: one snapshot, or the incremental range up to the time the job started; then the
     * source finishes. Default: unbounded.
     */
    public HogQLSourceBuilder<T> bounded(boolean bounded) {
        this.bounded = bounded;
        return this;
    }

    /** A placeholder value: {@code {name}} in the query. */
    public HogQLSourceBuilder<T> value(String name, Object value) {
        values.put(name, value);
        return this;
    }

    /**
     * Snapshot as a changelog keyed by these columns: INSERT for new keys, UPDATE_AFTER for changed
     * rows, DELETE for vanished keys. Default: none (every poll emits all rows).
     */
    public HogQLSourceBuilder<T> changelogKey(String... columns) {
        this.changelogKey = List.of(columns);
        return this;
    }

    /**
     * Reads each snapshot in pages of {@link #pageSize} rows, for results larger than one response
     * (50,000 rows), by keyset, never OFFSET. The snapshot query pages itself with two placeholders
     * the source fills: {@code {phf_page_after}} (the key of the previous page's last row; {@code
     * firstPageAfter} for the first page, e.g. {@code ""} for strings) and {@code {phf_page_size}}:
     *
     * <pre>{@code
     * SELECT distinct_id, count() AS n FROM events WHERE distinct_id > {phf_page_after}
     * GROUP BY distinct_id ORDER BY distinct_id LIMIT {phf_page_size}
     * }</pre>
     *
     * <p>{@code keyColumn} must be in the result, unique, and the order the query sorts by. The
     * pages of one poll are emitted together, as one version, once the last has arrived.
     */
    public HogQLSourceBuilder<T> pageSnapshotBy(String keyColumn, Object firstPageAfter) {
        this.snapshotPageKey = Objects.requireNonNull(keyColumn);
        this.snapshotFirstPageAfter = Objects.requireNonNull(firstPageAfter);
        this.wrapsSnapshotPages = false;
        return this;
    }

    /**
     * Reads each snapshot of any query in pages of {@link #pageSize} rows by {@code keyColumn}: the
     * source wraps the query as a subquery and pages it by keyset, never OFFSET:
     *
     * <pre>{@code
     * SELECT * FROM (<query>) ORDER BY key LIMIT n                          -- first page
     * SELECT * FROM (<query>) WHERE key > {phf_page_after} ORDER BY key LIMIT n
     * }</pre>
     *
     * <p>So a query whose result is larger than one response (50,000 rows) just works. {@code
     * keyColumn} must be a unique column of the query's result (e.g. a join key); the pages of one
     * poll are emitted together, as one version, once the last has arrived.
     */
    public HogQLSourceBuilder<T> pageSnapshotBy(String keyColumn) {
        this.snapshotPageKey = Objects.requireNonNull(keyColumn);
        this.snapshotFirstPageAfter = null;
        this.wrapsSnapshotPages = true;
        return this;
    }

    /**
     * Incremental: each split stops after {@code rows} rows (a pushed-down {@code LIMIT}); pages
     * are at most {@link #pageSize} rows, so a limit above PostHog's 50,000 per response is read in
     * keyset pages. Default: no limit.
     */
    public HogQLSourceBuilder<T> limit(long rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("limit must be >= 1: " + rows);
        }
        this.limit = rows;
        return this;
    }

    /**
     * Bounded incremental: splits the range from {@link #startTimestamp} (or, when none is set, the
     * oldest matching row, found with one query) to {@link #endTimestamp} (or the job's start) into
     * slices of this length, aligned to multiples of it since the epoch (UTC days for one day), one
     * split each, read in parallel by the source's subtasks. At most {@value
     * HogQLSlices#MAX_SLICES} slices: a longer range gets longer slices. Default: one split.
     */
    public HogQLSourceBuilder<T> timeSlices(Duration sliceSize) {
        this.sliceSize = Objects.requireNonNull(sliceSize, "sliceSize");
        return this;
    }

    /** Bounded incremental: read rows up to and including this time. Default: the job's start. */
    public HogQLSourceBuilder<T> endTimestamp(@Nullable Instant end) {
        this.endTimestamp = end;
        return this;
    }

    /** Time between polls (and between incremental pages once caught up). Default 30 s. */
    public HogQLSourceBuilder<T> pollInterval(Duration interval) {
        this.pollInterval = interval;
        return this;
    }

    /** Rows per incremental page (and paged snapshot page), 1 to 50,000. Default 10,000. */
    public HogQLSourceBuilder<T> pageSize(int pageSize) {
        this.pageSize = pageSize;
        return this;
    }

    /** The {@code name} PostHog shows in its query log; also names the split. */
    public HogQLSourceBuilder<T> queryName(String name) {
        this.queryName = name;
        return this;
    }

    /**
     * Run queries asynchronously (202, status polling, cancelled on timeout and close; {@code
     * force_async}), or blocking ({@code force_blocking}). Default: asynchronously. Shorthand for
     * {@link #refresh}.
     */
    public HogQLSourceBuilder<T> asyncExecution(boolean async) {
        this.refresh = async ? QueryRefresh.FORCE_ASYNC : QueryRefresh.FORCE_BLOCKING;
        return this;
    }

    /**
     * PostHog's {@code refresh} mode for every poll. Default {@code FORCE_ASYNC}: fresh rows, run
     * asynchronously. A cached mode ({@code BLOCKING}, {@code ASYNC}, {@code LAZY_ASYNC}, ...)
     * answers from PostHog's result cache until the result is stale (5 minutes for HogQL), so polls
     * within that time see the same rows; async modes are polled, blocking ones waited for.
     */
    public HogQLSourceBuilder<T> refresh(QueryRefresh refresh) {
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        return this;
    }

    /**
     * How often an async query's status is polled: first after 50 ms, then twice as long each time
     * up to this interval. Default 1 s.
     */
    public HogQLSourceBuilder<T> asyncStatusInterval(Duration interval) {
        this.asyncStatusInterval = interval;
        return this;
    }

    /** How long one poll may take, retries and rate-limit waits included. Default 5 min. */
    public HogQLSourceBuilder<T> queryTimeout(Duration timeout) {
        this.queryTimeout = timeout;
        return this;
    }

    /** Backoff after a failed poll, doubling up to {@code max}. Default 1 s up to 1 min. */
    public HogQLSourceBuilder<T> failureBackoff(Duration initial, Duration max) {
        this.failureBackoff = initial;
        this.maxFailureBackoff = max;
        return this;
    }

    /** Incremental: read rows after this time. Default: the epoch (everything). */
    public HogQLSourceBuilder<T> startTimestamp(Instant start) {
        this.startTimestamp = start;
        return this;
    }

    /**
     * Incremental, unbounded: read only rows older than now minus this delay, so that rows still
     * being ingested are not skipped. Default 1 min.
     */
    public HogQLSourceBuilder<T> maxIngestionDelay(Duration delay) {
        this.maxIngestionDelay = delay;
        return this;
    }

    /**
     * Incremental, unbounded: counts rows that turn up behind the cursor (ingested later than
     * {@link #maxIngestionDelay} allowed for, so never emitted) in the metric {@code lateRows}.
     * Every {@code interval}, once caught up, one query counts the rows in the {@code window}
     * behind the cursor, by minute, and compares them with the rows emitted there. Default 10 min
     * and 1 min; {@code Duration.ZERO} as window turns the check off.
     */
    public HogQLSourceBuilder<T> lateRowCheck(Duration window, Duration interval) {
        this.lateRowWindow = Objects.requireNonNull(window, "window");
        this.lateRowCheckInterval = Objects.requireNonNull(interval, "interval");
        return this;
    }

    /**
     * The share of the query budget (2400/h) this JVM's HogQL sources may use for this host and
     * key, in (0, 1]. Every HogQL source with the same host, key and share in one JVM draws on one
     * shared budget; with several TaskManagers, give each 1/n. Default 1.
     */
    public HogQLSourceBuilder<T> queryBudgetShare(double share) {
        this.queryBudgetShare = share;
        return this;
    }

    /** The clock for poll times and the bounded range's end. Default: system UTC. */
    public HogQLSourceBuilder<T> clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public HogQLSourceBuilder<T> deserializer(HogQLRowDeserializer<T> deserializer) {
        this.deserializer = deserializer;
        return this;
    }

    /**
     * Builds the source. A {@link HogQLRowDeserializer#row()} deserializer learns its schema here
     * by running the query once (a HogQL error then surfaces at once).
     */
    @SuppressWarnings("unchecked")
    public HogQLSource<T> build() {
        HogQLSourceOptions options = options();
        Objects.requireNonNull(deserializer, "deserializer");
        HogQLRowDeserializer<T> d = deserializer;
        if (d instanceof RowDeserializer row && row.needsSchema()) {
            d = (HogQLRowDeserializer<T>) RowDeserializer.forResult(probe(options));
        }
        return new HogQLSource<>(options, d);
    }

    HogQLSourceOptions options() {
        Objects.requireNonNull(client, "client");
        if (!client.mayHave(PostHogCredentials.Key.PERSONAL_API_KEY)) {
            throw new IllegalArgumentException("The query API needs a personal API key (phx_...)");
        }
        if (mode == null) {
            throw new IllegalArgumentException(
                    "Choose snapshot(query) or incremental(select, from)");
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be in 1..50000: " + pageSize);
        }
        if (!changelogKey.isEmpty() && mode != HogQLMode.SNAPSHOT) {
            throw new IllegalArgumentException("changelogKey applies to snapshot mode only");
        }
        if (snapshotPageKey != null) {
            HogQLSourceChecks.pagedSnapshot(
                    mode,
                    snapshotQuery,
                    snapshotPageKey,
                    snapshotFirstPageAfter,
                    wrapsSnapshotPages);
        }
        if (limit > 0 && mode != HogQLMode.INCREMENTAL) {
            throw new IllegalArgumentException("limit applies to incremental mode only");
        }
        if (sliceSize != null) {
            requirePositive(sliceSize, "timeSlices");
        }
        requirePositive(pollInterval, "pollInterval");
        requirePositive(queryTimeout, "queryTimeout");
        requirePositive(asyncStatusInterval, "asyncStatusInterval");
        requirePositive(failureBackoff, "failureBackoff");
        HogQLSourceChecks.lateRowCheck(lateRowWindow, lateRowCheckInterval);
        if (!(queryBudgetShare > 0 && queryBudgetShare <= 1)) {
            throw new IllegalArgumentException("queryBudgetShare must be in (0, 1]");
        }
        RateLimitPolicy policy = client.rateLimitPolicy();
        PostHogClientConfig shared =
                client.toBuilder()
                        .rateLimitPolicy(policy.withShare(policy.share() * queryBudgetShare))
                        .build();
        return new HogQLSourceOptions(
                shared,
                mode,
                bounded,
                snapshotQuery,
                mode == HogQLMode.INCREMENTAL
                        ? new IncrementalQuery(select, from, where, cursorColumn, tieBreakerColumn)
                        : null,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values)),
                changelogKey,
                snapshotPageKey,
                snapshotFirstPageAfter,
                pollInterval,
                pageSize,
                queryName,
                refresh,
                asyncStatusInterval,
                queryTimeout,
                failureBackoff,
                maxFailureBackoff.compareTo(failureBackoff) < 0
                        ? failureBackoff
                        : maxFailureBackoff,
                startTimestamp,
                maxIngestionDelay,
                lateRowWindow,
                lateRowCheckInterval,
                clock,
                limit,
                sliceSize,
                endTimestamp,
                wrapsSnapshotPages);
    }

    private static HogQLResultSchema probe(HogQLSourceOptions options) {
        HogQLQuery query = HogQLQueries.schemaProbe(options);
        try (PostHogClient posthog = PostHogClient.create(options.client())) {
            QueryResponse response =
                    PostHogClient.await(posthog.query().query(query, options.queryName()));
            return HogQLResultSchema.of(response);
        }
    }
}
