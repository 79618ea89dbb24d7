package io.github.posthogflink.benchmarks;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.client.query.HogQLQuery;
import io.github.posthogflink.client.query.QueryResponse;
import io.github.posthogflink.client.ratelimit.RateLimitPolicy;
import io.github.posthogflink.connector.source.hogql.HogQLResultSchema;
import io.github.posthogflink.connector.source.hogql.HogQLRow;
import io.github.posthogflink.connector.source.hogql.HogQLRowDeserializer;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Rows/s of 50,000-row HogQL pages: Jackson reading the page JSON from memory (the baseline), the
 * same plus the source's row deserialization into typed {@link Row}s, and the whole per-page path
 * of the source (query over loopback HTTP through {@code PostHogClient}, parse, deserialize).
 */
final class HogQLSourceBenchmark implements Benchmark {
    private static final int ROWS = 50_000;
    private static final int PAGES_PER_ROUND = 6;
    private static final int ROUNDS = 5;

    private static final RowTypeInfo TYPE =
            new RowTypeInfo(
                    new TypeInformation<?>[] {
                        Types.STRING,
                        Types.INSTANT,
                        Types.STRING,
                        Types.STRING,
                        Types.LONG,
                        Types.DOUBLE,
                        Types.STRING
                    },
                    new String[] {
                        "uuid", "timestamp", "event", "distinct_id", "n", "ratio", "browser"
                    });

    @Override
    public String name() {
        return "hogql-source";
    }

    @Override
    public void run(Report report) throws Exception {
        byte[] page = page(new Random(42));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    exchange.getRequestBody().readAllBytes();
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, page.length);
                    exchange.getResponseBody().write(page);
                    exchange.close();
                });
        server.start();
        try (PostHogClient client =
                PostHogClient.create(
                        PostHogClientConfig.builder()
                                .host("http://127.0.0.1:" + server.getAddress().getPort())
                                .personalApiKey("phx_benchmark")
                                .projectId(1)
                                .rateLimitPolicy(RateLimitPolicy.disabled())
                                .build())) {
            HogQLQuery query = HogQLQuery.hogql("SELECT uuid, timestamp FROM events LIMIT 50000");
            double[] memory = new double[ROUNDS];
            double[] deserialized = new double[ROUNDS];
            double[] source = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                memory[round] = rowsPerSecond(() -> touch(Json.read(page, QueryResponse.class)));
                deserialized[round] =
                        rowsPerSecond(() -> deserialize(Json.read(page, QueryResponse.class)));
                source[round] =
                        rowsPerSecond(
                                () ->
                                        deserialize(
                                                PostHogClient.await(
                                                        client.query().query(query, "bench"))));
            }
            double baseline = median(memory);
            double typed = median(deserialized);
            double whole = median(source);
            report.figure(name(), "page size", page.length / 1e6, "MB");
            report.figure(
                    name(), "rows/s, JSON page read from memory (Jackson)", baseline, "rows/s");
            report.figure(
                    name(), "rows/s, JSON from memory + typed Row deserializer", typed, "rows/s");
            report.figure(
                    name(),
                    "rows/s, loopback HTTP + client + typed Row (source path)",
                    whole,
                    "rows/s");
            report.ratio(name(), "deserializer path / JSON-only", typed / baseline, null);
            report.ratio(name(), "source path / JSON-only", whole / baseline, null);
        } finally {
            server.stop(0);
        }
    }

    private interface PageRun {
        long run() throws Exception;
    }

    private static double rowsPerSecond(PageRun run) throws Exception {
        long rows = 0;
        long start = System.nanoTime();
        for (int i = 0; i < PAGES_PER_ROUND; i++) {
            rows += run.run();
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    private static long touch(QueryResponse response) {
        long sink = 0;
        for (List<Object> row : response.results()) {
            for (Object v : row) {
                sink += v == null ? 0 : 1;
            }
        }
        return sink == 0 ? 0 : response.results().size();
    }

    private static long deserialize(QueryResponse response) throws Exception {
        HogQLRowDeserializer<Row> rows = HogQLRowDeserializer.row(TYPE);
        HogQLResultSchema schema = HogQLResultSchema.of(response);
        rows.open(schema);
        Instant now = Instant.now();
        long count = 0;
        int n = response.results().size();
        for (int i = 0; i < n; i++) {
            Row row =
                    rows.deserialize(
                            new HogQLRow(
                                    schema,
                                    response.results().get(i),
                                    RowKind.INSERT,
                                    0,
                                    now,
                                    i,
                                    n));
            count += row.getArity() > 0 ? 1 : 0;
        }
        return count;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** A page as PostHog sends it: columns, {@code [name, type]} pairs, rows, paging fields. */
    private static byte[] page(Random random) {
        List<List<Object>> rows = new ArrayList<>(ROWS);
        Instant base = Instant.parse("2026-11-01T00:00:00Z");
        String[] browsers = {"Chrome", "Firefox", "Safari"};
        for (int i = 0; i < ROWS; i++) {
            rows.add(
                    Arrays.asList(
                            new UUID(random.nextLong(), random.nextLong()).toString(),
                            base.plusNanos(i * 1_000_123_000L).toString(),
                            "$pageview",
                            "user-" + random.nextInt(10_000),
                            (long) random.nextInt(1_000_000),
                            random.nextDouble(),
                            i % 7 == 0 ? null : browsers[i % 3]));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("columns", Arrays.asList(TYPE.getFieldNames()));
        body.put(
                "types",
                List.of(
                        List.of("uuid", "UUID"),
                        List.of("timestamp", "DateTime64(6, 'UTC')"),
                        List.of("event", "String"),
                        List.of("distinct_id", "String"),
                        List.of("n", "Int64"),
                        List.of("ratio", "Float64"),
                        List.of("browser", "Nullable(String)")));
        body.put("results", rows);
        body.put("hasMore", false);
        body.put("limit", ROWS);
        body.put("offset", 0);
        return Json.write(body);
    }
}
