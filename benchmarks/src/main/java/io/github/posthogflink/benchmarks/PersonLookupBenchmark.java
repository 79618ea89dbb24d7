package io.github.posthogflink.benchmarks;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.persons.Person;
import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;
import io.github.posthogflink.client.ratelimit.RateLimitPolicy;
import io.github.posthogflink.connector.enrich.persons.LookupScheduler;
import io.github.posthogflink.connector.enrich.persons.PersonLookupEngine;
import io.github.posthogflink.connector.enrich.persons.PersonLookupOptions;
import io.github.posthogflink.connector.enrich.persons.PersonResolver;
import io.github.posthogflink.testkit.PostHogServer;
import io.github.posthogflink.testkit.ratelimit.ThrottleScope;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Person lookups. Warm: cached lookups per second on one thread, against a plain {@code HashMap}
 * lookup of the same keys. Cold: distinct ids resolved per request and per budget period against
 * the testkit with its persons rate limit on (240/min per personal key, no hourly cap), scaled to
 * 240 per {@link #BUDGET_PERIOD} so the run is short.
 */
final class PersonLookupBenchmark implements Benchmark {
    private static final int WARM_KEYS = 10_000;
    private static final int WARM_LOOKUPS = 5_000_000;
    private static final int ROUNDS = 5;
    private static final int BUDGET_PERMITS = 240;
    private static final Duration BUDGET_PERIOD = Duration.ofSeconds(6);
    private static final int BUDGET_PERIODS_MEASURED = 3;
    private static final int COLD_IN_FLIGHT = 20_000;

    private static volatile Object sink;

    @Override
    public String name() {
        return "person-lookup";
    }

    @Override
    public void run(Report report) throws Exception {
        warm(report);
        cold(report);
    }

    private void warm(Report report) throws Exception {
        Map<String, Person> map = new HashMap<>();
        String[] keys = new String[WARM_KEYS];
        for (int i = 0; i < WARM_KEYS; i++) {
            keys[i] = "user-" + i;
            map.put(keys[i], person(keys[i]));
        }
        PersonResolver inMemory =
                new PersonResolver() {
                    @Override
                    public int maxKeysPerRequest() {
                        return 200;
                    }

                    @Override
                    public CompletableFuture<Resolution> resolve(List<String> ids) {
                        Map<String, Person> found = new HashMap<>();
                        ids.forEach(id -> found.put(id, map.get(id)));
                        return CompletableFuture.completedFuture(Resolution.of(found));
                    }
                };
        PersonLookupOptions options =
                PersonLookupOptions.builder(PostHogClientConfig.builder().build())
                        .batchWindow(Duration.ZERO)
                        .budgetWindows(new Window(1_000_000, Duration.ofSeconds(1)))
                        .build();
        try (PersonLookupEngine engine =
                new PersonLookupEngine(
                        options,
                        inMemory,
                        1.0,
                        System::nanoTime,
                        LookupScheduler.singleThread("benchmark-lookup"))) {
            List<CompletableFuture<Optional<Person>>> fill = new ArrayList<>();
            for (String key : keys) {
                fill.add(engine.lookup(key));
            }
            CompletableFuture.allOf(fill.toArray(new CompletableFuture<?>[0])).join();

            double[] mapRates = new double[ROUNDS];
            double[] cachedRates = new double[ROUNDS];
            double[] futureRates = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                mapRates[round] = perSecond(() -> hashMapLoop(map, keys));
                cachedRates[round] = perSecond(() -> getIfCachedLoop(engine, keys));
                futureRates[round] = perSecond(() -> lookupLoop(engine, keys));
            }
            double mapRate = median(mapRates);
            double cachedRate = median(cachedRates);
            double futureRate = median(futureRates);
            report.figure(name(), "warm lookups/s, HashMap.get (baseline)", mapRate, "/s");
            report.figure(name(), "warm lookups/s, engine.getIfCached", cachedRate, "/s");
            report.figure(name(), "warm lookups/s, engine.lookup (future)", futureRate, "/s");
            report.ratio(name(), "getIfCached / HashMap", cachedRate / mapRate, null);
            report.ratio(name(), "getIfCached / 1M per s", cachedRate / 1e6, ">= 1");
        }
    }

    private static double perSecond(Runnable loop) {
        long start = System.nanoTime();
        loop.run();
        return WARM_LOOKUPS / ((System.nanoTime() - start) / 1e9);
    }

    private static void hashMapLoop(Map<String, Person> map, String[] keys) {
        int found = 0;
        for (int i = 0; i < WARM_LOOKUPS; i++) {
            if (map.get(keys[i % keys.length]) != null) {
                found++;
            }
        }
        sink = found;
    }

    private static void getIfCachedLoop(PersonLookupEngine engine, String[] keys) {
        int found = 0;
        for (int i = 0; i < WARM_LOOKUPS; i++) {
            if (engine.getIfCached(keys[i % keys.length]).isPresent()) {
                found++;
            }
        }
        sink = found;
    }

    private static void lookupLoop(PersonLookupEngine engine, String[] keys) {
        int found = 0;
        for (int i = 0; i < WARM_LOOKUPS; i++) {
            if (engine.lookup(keys[i % keys.length]).getNow(Optional.empty()).isPresent()) {
                found++;
            }
        }
        sink = found;
    }

    private void cold(Report report) throws Exception {
        try (PostHogServer posthog = PostHogServer.builder().rateLimits(true).build().start()) {
            posthog.rateLimits()
                    .setRates(
                            ThrottleScope.CLICKHOUSE_BURST,
                            new ThrottleScope.Rate(BUDGET_PERMITS, BUDGET_PERIOD));
            for (int i = 0; i < 20_000; i += 2) {
                posthog.seed().createPerson("cold-" + i, Map.of("i", i));
            }
            PersonLookupOptions options =
                    PersonLookupOptions.builder(
                                    PostHogClientConfig.builder()
                                            .host(posthog.baseUrl())
                                            .apiHost(posthog.baseUrl())
                                            .personalApiKey(posthog.personalApiKey())
                                            .projectId(posthog.projectId())
                                            .rateLimitPolicy(RateLimitPolicy.disabled())
                                            .build())
                            .batchWindow(Duration.ofMillis(10))
                            .budgetWindows(new Window(BUDGET_PERMITS, BUDGET_PERIOD))
                            .build();
            try (PostHogClient client = PostHogClient.create(options.clientConfig());
                    PersonLookupEngine engine = PersonLookupEngine.create(options, client, 1.0)) {
                AtomicLong resolved = new AtomicLong();
                Semaphore inFlight = new Semaphore(COLD_IN_FLIGHT);
                long measureNanos = BUDGET_PERIOD.toNanos() * BUDGET_PERIODS_MEASURED;
                long start = System.nanoTime();
                long next = 0;
                while (System.nanoTime() - start < measureNanos) {
                    if (!inFlight.tryAcquire(10, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    engine.lookup("cold-" + next++)
                            .whenComplete(
                                    (p, e) -> {
                                        inFlight.release();
                                        if (e == null) {
                                            resolved.incrementAndGet();
                                        }
                                    });
                }
                double elapsedPeriods =
                        (System.nanoTime() - start) / (double) BUDGET_PERIOD.toNanos();
                long requests = engine.stats().requests();
                long keys = engine.stats().requestedKeys();
                double perPeriod = resolved.get() / elapsedPeriods;
                double ideal = BUDGET_PERMITS * 200.0;
                long throttled = posthog.requests().stream().filter(r -> r.status() == 429).count();
                report.figure(name(), "cold: requests sent", requests, "");
                report.figure(
                        name(), "cold: distinct ids per request", keys / (double) requests, "");
                report.figure(
                        name(), "cold: ids resolved per budget period (240 req)", perPeriod, "ids");
                report.figure(name(), "cold: 429 answers", throttled, "");
                report.ratio(
                        name(),
                        "cold: resolved / (240 x 200) per period",
                        perPeriod / ideal,
                        ">= 0.9");
            }
        }
    }

    private static Person person(String id) {
        return new Person(
                "1",
                "uuid-" + id,
                null,
                List.of(id),
                Map.of("email", id + "@example.com", "plan", "pro"),
                "2026-01-01T00:00:00Z",
                null);
    }

    private static double median(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }
}
