package io.github.posthogflink.benchmarks;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.client.ratelimit.RateLimitPolicy;

import org.asynchttpclient.AsyncHttpClient;
import org.asynchttpclient.Dsl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The client's own cost per call on loopback, against a bare AsyncHttpClient sending the same bytes
 * to the same instant server: median latency of sequential calls, and requests/s of concurrent
 * batch calls.
 */
final class ClientCallBenchmark implements Benchmark {
    private static final int SEQUENTIAL_CALLS = 10_000;
    private static final int CONCURRENT_CALLS = 20_000;
    private static final int IN_FLIGHT = 64;
    private static final int ROUNDS = 5;

    @Override
    public String name() {
        return "client-call";
    }

    @Override
    public void run(Report report) throws Exception {
        try (InstantServer server = new InstantServer();
                PostHogClient client =
                        PostHogClient.create(
                                PostHogClientConfig.builder()
                                        .host(server.baseUrl())
                                        .projectApiKey("phc_benchmark")
                                        .gzip(false)
                                        .rateLimitPolicy(RateLimitPolicy.disabled())
                                        .build());
                AsyncHttpClient raw =
                        Dsl.asyncHttpClient(
                                Dsl.config()
                                        .setIoThreadsCount(1)
                                        .setMaxConnections(64)
                                        .setKeepAlive(true))) {
            byte[] body = batchBody(50);
            String url = server.baseUrl() + "/batch/";
            Supplier<CompletableFuture<?>> viaClient = () -> client.capture().batchRaw(body);
            Supplier<CompletableFuture<?>> viaRaw =
                    () ->
                            raw.preparePost(url)
                                    .setHeader("Content-Type", "application/json")
                                    .setBody(body)
                                    .execute()
                                    .toCompletableFuture();

            // Alternate the two sides over several rounds so JIT and machine noise hit both.
            double[] rawMedians = new double[ROUNDS];
            double[] clientMedians = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                rawMedians[round] = sequentialMedianMicros(viaRaw, SEQUENTIAL_CALLS);
                clientMedians[round] = sequentialMedianMicros(viaClient, SEQUENTIAL_CALLS);
            }
            double rawMedian = median(rawMedians);
            double clientMedian = median(clientMedians);
            report.figure(name(), "median latency, bare AsyncHttpClient", rawMedian, "µs");
            report.figure(
                    name(), "median latency, PostHogClient.capture().batchRaw", clientMedian, "µs");
            report.figure(
                    name(), "median client overhead per call", clientMedian - rawMedian, "µs");
            report.ratio(name(), "client latency / bare latency", clientMedian / rawMedian, null);

            double[] rawRates = new double[ROUNDS];
            double[] clientRates = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                rawRates[round] = concurrentPerSecond(viaRaw, CONCURRENT_CALLS);
                clientRates[round] = concurrentPerSecond(viaClient, CONCURRENT_CALLS);
            }
            double rawRate = median(rawRates);
            double clientRate = median(clientRates);
            report.figure(name(), "batch requests/s, 64 in flight, bare", rawRate, "req/s");
            report.figure(
                    name(), "batch requests/s, 64 in flight, PostHogClient", clientRate, "req/s");
            report.ratio(name(), "client throughput / bare throughput", clientRate / rawRate, null);
        }
    }

    private static double sequentialMedianMicros(Supplier<CompletableFuture<?>> call, int n) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            call.get().join();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos[n / 2] / 1_000.0;
    }

    private static double concurrentPerSecond(Supplier<CompletableFuture<?>> call, int n)
            throws InterruptedException {
        Semaphore permits = new Semaphore(IN_FLIGHT);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            permits.acquire();
            call.get().whenComplete((ok, error) -> permits.release());
        }
        permits.acquire(IN_FLIGHT);
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static byte[] batchBody(int events) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("event", "$pageview");
            event.put("distinct_id", "user-" + i);
            event.put("uuid", "0190a6b4-0000-7000-8000-" + String.format("%012d", i));
            event.put("timestamp", "2026-11-27T12:00:00Z");
            event.put(
                    "properties",
                    Map.of("$current_url", "https://example.com/p/" + i, "$lib", "posthog-flink"));
            batch.add(event);
        }
        return Json.write(Map.of("api_key", "phc_benchmark", "batch", batch));
    }
}
