package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.persons.Person;
import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import static io.github.posthogflink.connector.enrich.persons.TestkitPersons.batchRequests;
import static io.github.posthogflink.connector.enrich.persons.TestkitPersons.idsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The engine against the testkit, on a hand-advanced clock. */
class PersonLookupEngineTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final ManualTime time = new ManualTime();
    private PostHogClient client;
    private PersonLookupEngine engine;

    @BeforeEach
    void setUp() {
        posthog.reset();
        client = PostHogClient.create(TestkitPersons.clientConfig(posthog));
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        client.close();
    }

    private PersonLookupEngine engine(UnaryOperator<PersonLookupOptions.Builder> settings) {
        PersonLookupOptions options =
                settings.apply(
                                PersonLookupOptions.builder(TestkitPersons.clientConfig(posthog))
                                        .batchWindow(Duration.ofMillis(20)))
                        .build();
        engine =
                new PersonLookupEngine(
                        options, PersonLookupEngine.resolverFor(options, client), 1.0, time, time);
        return engine;
    }

    /** Lets the 20 ms batch window pass, so the lookup goes out. */
    private <T> CompletableFuture<T> timed(CompletableFuture<T> future) {
        time.advance(Duration.ofMillis(20));
        return future;
    }

    private static <T> T done(CompletableFuture<T> future) {
        await().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(5))
                .atMost(Duration.ofSeconds(10))
                .until(future::isDone);
        return future.join();
    }

    @Test
    void lookupsWithinTheWindowGoOutAsOneRequest() {
        posthog.seed().createPerson("a", Map.of("plan", "pro"));
        engine(b -> b);
        CompletableFuture<Optional<Person>> a = engine.lookup("a");
        CompletableFuture<Optional<Person>> b = engine.lookup("b");
        time.advance(Duration.ofMillis(19));
        CompletableFuture<Optional<Person>> c = engine.lookup("c");
        assertThat(batchRequests(posthog)).isEmpty();

        time.advance(Duration.ofMillis(1));
        assertThat(done(a)).get().satisfies(p -> assertThat(p.distinctIds()).contains("a"));
        assertThat(done(a).get().properties()).containsEntry("plan", "pro");
        assertThat(done(b)).isEmpty();
        assertThat(done(c)).isEmpty();
        assertThat(batchRequests(posthog)).hasSize(1);
        assertThat(idsOf(batchRequests(posthog).get(0))).containsExactly("a", "b", "c");
    }

    @Test
    void largeSetsAreSplitAt200() {
        engine(b -> b);
        List<CompletableFuture<Optional<Person>>> futures = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            posthog.seed().createPerson("u" + i, Map.of("i", i));
        }
        for (int i = 0; i < 450; i++) {
            futures.add(engine.lookup("u" + i));
        }
        // Two full batches leave at once; the rest waits for the window.
        await().until(() -> batchRequests(posthog).size() == 2);
        time.advance(Duration.ofMillis(20));
        for (int i = 0; i < 450; i++) {
            assertThat(done(futures.get(i)).orElseThrow().properties()).containsEntry("i", i);
        }
        assertThat(batchRequests(posthog))
                .extracting(r -> idsOf(r).size())
                .containsExactlyInAnyOrder(200, 200, 50);
        assertThat(engine.stats().requests()).isEqualTo(3);
        assertThat(engine.stats().found()).isEqualTo(450);
    }

    @Test
    void identicalKeysCoalesceBeforeAndDuringTheRequest() {
        posthog.seed().createPerson("a", Map.of());
        posthog.faults()
                .add(
                        FaultRule.matching(RouteMatcher.pathRegex(".*batch_by_distinct_ids.*"))
                                .delay(Duration.ofMillis(300))
                                .times(1));
        engine(b -> b);
        List<CompletableFuture<Optional<Person>>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(engine.lookup("a"));
        }
        time.advance(Duration.ofMillis(20)); // the request is out, delayed by the server
        futures.add(engine.lookup("a"));
        for (CompletableFuture<Optional<Person>> f : futures) {
            assertThat(done(f)).isPresent();
        }
        assertThat(batchRequests(posthog)).hasSize(1);
        assertThat(idsOf(batchRequests(posthog).get(0))).containsExactly("a");
        assertThat(engine.stats().coalesced()).isEqualTo(5);
        assertThat(engine.lookup("a")).isCompleted();
        assertThat(engine.stats().cacheHits()).isEqualTo(1);
    }

    @Test
    void missingPersonsAreCachedForTheNegativeTtl() {
        engine(b -> b.negativeCacheTtl(Duration.ofSeconds(30)).cacheTtl(Duration.ofMinutes(10)));
        CompletableFuture<Optional<Person>> first = engine.lookup("ghost");
        time.advance(Duration.ofMillis(20));
        assertThat(done(first)).isEmpty();

        time.advance(Duration.ofSeconds(29));
        assertThat(engine.lookup("ghost")).isCompletedWithValue(Optional.empty());
        assertThat(engine.stats().negativeHits()).isEqualTo(1);
        assertThat(batchRequests(posthog)).hasSize(1);

        posthog.seed().createPerson("ghost", Map.of("now", "real"));
        time.advance(Duration.ofSeconds(1));
        CompletableFuture<Optional<Person>> again = engine.lookup("ghost");
        time.advance(Duration.ofMillis(20));
        assertThat(done(again)).get().extracting(p -> p.properties().get("now")).isEqualTo("real");
        assertThat(batchRequests(posthog)).hasSize(2);
    }

    @Test
    void anUpdatedPersonIsSeenAfterTheTtl() {
        posthog.seed().createPerson("a", Map.of("plan", "free"));
        engine(b -> b.cacheTtl(Duration.ofMinutes(5)));
        CompletableFuture<Optional<Person>> first = engine.lookup("a");
        time.advance(Duration.ofMillis(20));
        assertThat(done(first).orElseThrow().properties()).containsEntry("plan", "free");

        posthog.seed().createPerson("a", Map.of("plan", "pro"));
        time.advance(Duration.ofMinutes(4));
        assertThat(engine.lookup("a").join().orElseThrow().properties())
                .containsEntry("plan", "free");

        time.advance(Duration.ofMinutes(1));
        CompletableFuture<Optional<Person>> later = engine.lookup("a");
        time.advance(Duration.ofMillis(20));
        assertThat(done(later).orElseThrow().properties()).containsEntry("plan", "pro");
        engine.cleanUpCache();
        assertThat(engine.stats().expirations()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void waitPolicyHoldsBatchesUntilTheBudgetAllows() {
        engine(
                b ->
                        b.maxBatchSize(1)
                                .budgetWindows(new Window(2, Duration.ofMinutes(1)))
                                .budgetPolicy(BudgetPolicy.WAIT));
        CompletableFuture<Optional<Person>> a = engine.lookup("a");
        CompletableFuture<Optional<Person>> b = engine.lookup("b");
        CompletableFuture<Optional<Person>> c = engine.lookup("c");
        done(a);
        done(b);
        assertThat(c).isNotDone();
        assertThat(batchRequests(posthog)).hasSize(2);

        time.advance(Duration.ofSeconds(59));
        assertThat(batchRequests(posthog)).hasSize(2);
        time.advance(Duration.ofSeconds(1));
        assertThat(done(c)).isEmpty();
        assertThat(batchRequests(posthog)).hasSize(3);
        assertThat(engine.stats().budgetWaitNanos()).isEqualTo(Duration.ofMinutes(1).toNanos());
    }

    @Test
    void keysArrivingWhileABatchWaitsForBudgetJoinIt() {
        // One request a minute; keys trickle in, one every 5 s. Each waits for the next permit
        // in the one batch that waits for it, not in a queue of one-key batches a minute apart.
        engine(b -> b.budgetWindows(new Window(1, Duration.ofMinutes(1))));
        done(timed(engine.lookup("first")));
        List<CompletableFuture<Optional<Person>>> trickle = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            trickle.add(engine.lookup("k" + i));
            time.advance(Duration.ofSeconds(5));
        }
        assertThat(batchRequests(posthog)).hasSize(1);

        time.advance(Duration.ofSeconds(10)); // t = 60 s: the next permit
        for (CompletableFuture<Optional<Person>> f : trickle) {
            assertThat(done(f)).isEmpty();
        }
        assertThat(batchRequests(posthog)).hasSize(2);
        assertThat(idsOf(batchRequests(posthog).get(1))).hasSize(10);
        assertThat(engine.stats().requests()).isEqualTo(2);
    }

    @Test
    void aKeyPostHogLeavesUndeterminedIsAskedAFewTimesThenFailsCounted() {
        // A truncated persons page that never covers the key (the property resolver's case).
        List<List<String>> asked = new ArrayList<>();
        PersonResolver stuck =
                new PersonResolver() {
                    @Override
                    public int maxKeysPerRequest() {
                        return 200;
                    }

                    @Override
                    public CompletableFuture<Resolution> resolve(List<String> keys) {
                        asked.add(keys);
                        return CompletableFuture.completedFuture(
                                asked.size() < 10
                                        ? new Resolution(Map.of(), java.util.Set.of("x"))
                                        : Resolution.of(Map.of()));
                    }
                };
        PersonLookupOptions options =
                PersonLookupOptions.builder(TestkitPersons.clientConfig(posthog)).build();
        engine = new PersonLookupEngine(options, stuck, 1.0, time, time);

        CompletableFuture<Optional<Person>> lookup = engine.lookup("x");
        time.advance(Duration.ofSeconds(1));

        assertThat(lookup).isCompletedExceptionally();
        assertThat(lookup.handle((v, e) -> e))
                .isCompletedWithValueMatching(e -> e instanceof UndeterminedPersonException);
        assertThat(asked).hasSize(1 + PersonLookupEngine.MAX_UNDETERMINED_RETRIES);
        assertThat(engine.stats().undetermined()).isEqualTo(1);
        assertThat(engine.getIfCached("x")).as("not cached").isEmpty();
        assertThat(engine.pendingKeys()).isZero();
    }

    @Test
    void withoutWaitALookupTheBudgetCannotServeInTimeIsSkippedAndNotSent() {
        engine(
                b ->
                        b.maxBatchSize(1)
                                .timeout(Duration.ofSeconds(5))
                                .budgetWindows(new Window(1, Duration.ofMinutes(1)))
                                .budgetPolicy(BudgetPolicy.EMIT_WITHOUT_PERSON));
        assertThat(done(engine.lookup("a"))).isEmpty();
        CompletableFuture<Optional<Person>> b = engine.lookup("b");
        assertThat(b).isCompletedExceptionally();
        assertThat(b.handle((v, e) -> e))
                .isCompletedWithValueMatching(e -> e instanceof BudgetExceededException);
        assertThat(engine.stats().skippedBudget()).isEqualTo(1);
        assertThat(engine.pendingKeys()).isZero();
        assertThat(batchRequests(posthog)).hasSize(1);

        // Once budget is back, the key is looked up normally.
        time.advance(Duration.ofMinutes(1));
        assertThat(done(engine.lookup("b"))).isEmpty();
        assertThat(batchRequests(posthog)).hasSize(2);
    }

    @Test
    void keysPastTheirDeadlineAreSkippedButStillWarmTheCache() {
        posthog.seed().createPerson("c", Map.of());
        posthog.seed().createPerson("d", Map.of());
        engine(
                b ->
                        b.maxBatchSize(2)
                                .batchWindow(Duration.ofSeconds(30))
                                .timeout(Duration.ofSeconds(30))
                                .budgetWindows(new Window(1, Duration.ofSeconds(45)))
                                .budgetPolicy(BudgetPolicy.FAIL));
        CompletableFuture<Optional<Person>> a = engine.lookup("a");
        done(engine.lookup("b")); // a and b filled one batch at t=0
        done(a);
        time.advance(Duration.ofSeconds(1));
        CompletableFuture<Optional<Person>> c = engine.lookup("c"); // deadline t=31s
        time.advance(Duration.ofSeconds(19));
        CompletableFuture<Optional<Person>> d = engine.lookup("d"); // deadline t=50s
        time.advance(Duration.ofSeconds(11)); // t=31s: the window closes, budget frees at t=45s
        assertThat(c).isCompletedExceptionally();
        assertThat(d).isNotDone();
        assertThat(batchRequests(posthog)).hasSize(1);

        time.advance(Duration.ofSeconds(14)); // t=45s
        assertThat(done(d)).isPresent();
        assertThat(batchRequests(posthog)).hasSize(2);
        assertThat(idsOf(batchRequests(posthog).get(1))).containsExactlyInAnyOrder("c", "d");
        await().until(() -> engine.getIfCached("c").isPresent());
        assertThat(engine.getIfCached("c").get()).isPresent();
        assertThat(engine.stats().skippedBudget()).isEqualTo(1);
    }

    @Test
    void failedRequestsFailTheirLookupsAndAreNotCached() {
        posthog.faults()
                .add(
                        FaultRule.matching(RouteMatcher.pathRegex(".*batch_by_distinct_ids.*"))
                                .status(400)
                                .times(1));
        engine(b -> b);
        CompletableFuture<Optional<Person>> a = engine.lookup("a");
        time.advance(Duration.ofMillis(20));
        await().until(a::isDone);
        assertThat(a).isCompletedExceptionally();
        assertThat(engine.stats().failedRequests()).isEqualTo(1);
        assertThat(engine.getIfCached("a")).isEmpty();
        assertThat(engine.pendingKeys()).isZero();
    }

    @Test
    void onTheSystemClockAnUpdateIsSeenOnceTheTtlPasses() {
        posthog.seed().createPerson("live", Map.of("plan", "free"));
        PersonLookupOptions options =
                PersonLookupOptions.builder(TestkitPersons.clientConfig(posthog))
                        .batchWindow(Duration.ofMillis(5))
                        .cacheTtl(Duration.ofMillis(300))
                        .build();
        try (PersonLookupEngine live = PersonLookupEngine.create(options, client, 1.0)) {
            assertThat(done(live.lookup("live")).orElseThrow().properties())
                    .containsEntry("plan", "free");
            posthog.seed().createPerson("live", Map.of("plan", "pro"));
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(
                            () ->
                                    "pro"
                                            .equals(
                                                    live.lookup("live")
                                                            .join()
                                                            .orElseThrow()
                                                            .properties()
                                                            .get("plan")));
            assertThat(batchRequests(posthog)).hasSizeGreaterThanOrEqualTo(2);
        }
    }
}
