package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.persons.Person;
import io.github.posthogflink.testkit.PostHogTestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Lookups by email and by a person property, through the persons list. */
class PropertyLookupTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final ManualTime time = new ManualTime();
    private PostHogClient client;
    private PersonLookupEngine engine;

    @BeforeEach
    void setUp() {
        posthog.reset();
        client = PostHogClient.create(TestkitPersons.clientConfig(posthog));
        posthog.seed().createPerson("d1", Map.of("email", "ann@example.com", "account", "A-1"));
        posthog.seed().createPerson("d2", Map.of("email", "bob@example.com", "account", "A-2"));
        posthog.seed().createPerson("d3", Map.of("email", "cy@example.com", "account", "A-2"));
    }

    @AfterEach
    void tearDown() {
        engine.close();
        client.close();
    }

    private void engine(PersonLookupOptions.Builder builder) {
        PersonLookupOptions options = builder.batchWindow(Duration.ofMillis(10)).build();
        engine =
                new PersonLookupEngine(
                        options, PersonLookupEngine.resolverFor(options, client), 1.0, time, time);
    }

    private static Optional<Person> done(CompletableFuture<Optional<Person>> f) {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(f::isDone);
        return f.join();
    }

    @Test
    void byEmailBatchesIntoOneListRequest() {
        engine(PersonLookupOptions.builder(TestkitPersons.clientConfig(posthog)).byEmail());
        CompletableFuture<Optional<Person>> ann = engine.lookup("ann@example.com");
        CompletableFuture<Optional<Person>> bob = engine.lookup("BOB@example.com");
        CompletableFuture<Optional<Person>> nobody = engine.lookup("nobody@example.com");
        time.advance(Duration.ofMillis(10));

        assertThat(done(ann)).get().extracting(Person::distinctIds).isEqualTo(List.of("d1"));
        assertThat(done(bob)).get().extracting(Person::distinctIds).isEqualTo(List.of("d2"));
        assertThat(done(nobody)).isEmpty();
        assertThat(TestkitPersons.listRequests(posthog)).hasSize(1);
        assertThat(TestkitPersons.batchRequests(posthog)).isEmpty();
    }

    @Test
    void byPropertyTakesTheNewestMatch() {
        engine(
                PersonLookupOptions.builder(TestkitPersons.clientConfig(posthog))
                        .byProperty("account"));
        CompletableFuture<Optional<Person>> a1 = engine.lookup("A-1");
        CompletableFuture<Optional<Person>> a2 = engine.lookup("A-2");
        time.advance(Duration.ofMillis(10));

        assertThat(done(a1).orElseThrow().distinctIds()).containsExactly("d1");
        // Two persons share A-2; the list is newest first, so d3 wins.
        assertThat(done(a2).orElseThrow().distinctIds()).containsExactly("d3");
        assertThat(TestkitPersons.listRequests(posthog)).hasSize(1);
    }

    @Test
    void aTruncatedPageAsksAgainForTheValuesItDidNotCover() {
        for (int i = 0; i < 150; i++) {
            posthog.seed().createPerson("many-" + i, Map.of("account", "BIG"));
        }
        engine(
                PersonLookupOptions.builder(TestkitPersons.clientConfig(posthog))
                        .byProperty("account"));
        CompletableFuture<Optional<Person>> a1 = engine.lookup("A-1");
        CompletableFuture<Optional<Person>> big = engine.lookup("BIG");
        time.advance(Duration.ofMillis(10));

        assertThat(done(big)).isPresent();
        assertThat(done(a1).orElseThrow().distinctIds()).containsExactly("d1");
        assertThat(TestkitPersons.listRequests(posthog)).hasSize(2);
        assertThat(engine.stats().requests()).isEqualTo(2);
    }
}
