package io.github.posthogflink.benchmarks;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.query.QueryResponse;
import io.github.posthogflink.testkit.PostHogServer;
import io.github.posthogflink.testkit.hogql.EventRow;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A Flink SQL query over PostHog's events that reads 2 columns with a filter that keeps 1%, over 1M
 * events of 12 properties in the testkit: through the table mode (projection and filter pushed into
 * the HogQL, one split, then in day slices) and through a table that cannot push (an incremental
 * table selecting every column; Flink filters and projects). Figures: seconds, rows and result
 * bytes PostHog returned (its query log), and query API requests (starts and status polls).
 */
final class HogQLPushdownBenchmark implements Benchmark {
    private static final int EVENTS = Integer.getInteger("bench.hogql.events", 1_000_000);
    private static final int PROPERTIES = 12;
    private static final int DAYS = 10;
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final String QUERY = "SELECT distinct_id, p1 FROM %s WHERE p0 = 'v7'";

    @Override
    public String name() {
        return "hogql-pushdown";
    }

    @Override
    public void run(Report report) throws Exception {
        try (PostHogServer server = PostHogServer.builder().build().start()) {
            long seed = System.nanoTime();
            seed(server);
            report.figure(
                    name(),
                    "seed " + EVENTS + " events (bulk, testkit Java API)",
                    seconds(seed),
                    "s");
            Result plain = measure(server, "plain", "no pushdown", plainTable(server));
            Result oneSplit =
                    measure(server, "pushed", "pushdown, 1 split", pushedTable(server, "0"));
            Result sliced =
                    measure(server, "sliced", "pushdown, day slices", pushedTable(server, "1d"));
            for (Result r : List.of(plain, oneSplit, sliced)) {
                String label = r.label;
                report.figure(name(), label + ": seconds", r.seconds, "s");
                report.figure(name(), label + ": CPU seconds (process)", r.cpuSeconds, "s");
                report.figure(name(), label + ": rows fetched", r.rows, "rows");
                report.figure(name(), label + ": result bytes fetched", r.bytes / 1e6, "MB");
                report.figure(name(), label + ": query requests (starts)", r.starts, "");
                report.figure(name(), label + ": query requests (all)", r.requests, "");
                report.figure(name(), label + ": rows out", r.rowsOut, "rows");
            }
            report.ratio(
                    name(),
                    "rows fetched, no pushdown / pushdown",
                    plain.rows / oneSplit.rows,
                    null);
            report.ratio(
                    name(),
                    "bytes fetched, no pushdown / pushdown",
                    plain.bytes / oneSplit.bytes,
                    null);
            report.ratio(
                    name(),
                    "seconds, no pushdown / pushdown (1 split)",
                    plain.seconds / oneSplit.seconds,
                    null);
            report.ratio(
                    name(),
                    "CPU seconds, no pushdown / pushdown (1 split)",
                    plain.cpuSeconds / oneSplit.cpuSeconds,
                    null);
            report.ratio(
                    name(),
                    "seconds, no pushdown / pushdown (day slices)",
                    plain.seconds / sliced.seconds,
                    null);
        }
    }

    private record Result(
            String label,
            double seconds,
            double cpuSeconds,
            double rows,
            double bytes,
            long starts,
            long requests,
            long rowsOut) {}

    private static void seed(PostHogServer server) {
        Random random = new Random(42);
        long spacingMicros = DAYS * 86_400_000_000L / EVENTS;
        List<EventRow> batch = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            StringBuilder properties = new StringBuilder("{\"p0\":\"v").append(i % 100).append('"');
            for (int p = 1; p < PROPERTIES; p++) {
                properties.append(",\"p").append(p).append("\":\"");
                properties.append(Long.toHexString(random.nextLong())).append('"');
            }
            properties.append('}');
            batch.add(
                    new EventRow(
                            new UUID(random.nextLong(), random.nextLong()),
                            "$pageview",
                            "user-" + (i % 5_000),
                            properties.toString(),
                            START.plusNanos(i * spacingMicros * 1_000)));
            if (batch.size() == 50_000) {
                server.seed().queryOnlyEvents(batch);
                batch = new ArrayList<>();
            }
        }
        server.seed().queryOnlyEvents(batch);
    }

    private Result measure(PostHogServer server, String table, String label, String ddl)
            throws Exception {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("parallelism.default", "2");
        env.executeSql(ddl.replace("%t", table));
        long since = lastSequence(server);
        Instant from = Instant.now();
        long start = System.nanoTime();
        long cpu = SinkBenchmark.processCpuNanos();
        long rowsOut = 0;
        try (CloseableIterator<Row> it = env.executeSql(String.format(QUERY, table)).collect()) {
            while (it.hasNext()) {
                it.next();
                rowsOut++;
            }
        }
        double seconds = seconds(start);
        // CPU of this process: Flink and the testkit (DuckDB) both run in it.
        double cpuSeconds = (SinkBenchmark.processCpuNanos() - cpu) / 1e9;
        long starts = 0;
        long requests = 0;
        for (RecordedRequest r : server.requests()) {
            if (r.sequence() > since && r.path().contains("/query/")) {
                requests++;
                if (r.method().equals("POST")) {
                    starts++;
                }
            }
        }
        double[] log = queryLog(server, from);
        return new Result(label, seconds, cpuSeconds, log[0], log[1], starts, requests, rowsOut);
    }

    /** Rows and result bytes PostHog's query log holds for the queries since {@code from}. */
    private static double[] queryLog(PostHogServer server, Instant from) {
        try (PostHogClient client =
                PostHogClient.create(
                        PostHogClientConfig.builder()
                                .host(server.baseUrl())
                                .personalApiKey(server.personalApiKey())
                                .projectId(server.projectId())
                                .build())) {
            QueryResponse r =
                    client.query()
                            .hogql(
                                    "SELECT sum(result_rows), sum(result_bytes) FROM query_log"
                                            + " WHERE query_start_time >= '"
                                            + from
                                            + "' AND query LIKE '%ORDER BY timestamp%'")
                            .join();
            List<Object> row = r.results().get(0);
            return new double[] {
                ((Number) row.get(0)).doubleValue(), ((Number) row.get(1)).doubleValue()
            };
        }
    }

    private static long lastSequence(PostHogServer server) {
        return server.requests().stream().mapToLong(RecordedRequest::sequence).max().orElse(0);
    }

    private static String connection(PostHogServer server) {
        return "'connector' = 'posthog-hogql', 'host' = '"
                + server.baseUrl()
                + "', 'personal-api-key' = '"
                + server.personalApiKey()
                + "', 'project-id' = '"
                + server.projectId()
                + "', 'hogql.bounded' = 'true', 'hogql.page-size' = '50000',"
                + " 'hogql.start-timestamp' = '"
                + START
                + "', 'hogql.end-timestamp' = '"
                + START.plusSeconds(DAYS * 86_400L)
                + "'";
    }

    private static String columns() {
        StringBuilder sb =
                new StringBuilder(
                        "uuid STRING, event STRING, distinct_id STRING,"
                                + " `timestamp` TIMESTAMP_LTZ(6)");
        for (int p = 0; p < PROPERTIES; p++) {
            sb.append(", p").append(p).append(" STRING");
        }
        return sb.toString();
    }

    /** Table mode: the planner pushes the 2 columns and the filter into the HogQL. */
    private static String pushedTable(PostHogServer server, String sliceSize) {
        StringBuilder options = new StringBuilder(connection(server));
        options.append(", 'hogql.table' = 'events', 'hogql.slice-size' = '")
                .append(sliceSize)
                .append("'");
        for (int p = 0; p < PROPERTIES; p++) {
            options.append(", 'hogql.column.p")
                    .append(p)
                    .append("' = 'properties.p")
                    .append(p)
                    .append("'");
        }
        return "CREATE TABLE %t (" + columns() + ") WITH (" + options + ")";
    }

    /** An incremental table of every column: nothing is pushed, Flink filters and projects. */
    private static String plainTable(PostHogServer server) {
        StringBuilder select = new StringBuilder("uuid, event, distinct_id, timestamp");
        for (int p = 0; p < PROPERTIES; p++) {
            select.append(", properties.p").append(p).append(" AS p").append(p);
        }
        return "CREATE TABLE %t ("
                + columns()
                + ") WITH ("
                + connection(server)
                + ", 'hogql.mode' = 'incremental', 'hogql.select' = '"
                + select
                + "')";
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
