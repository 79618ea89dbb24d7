package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.persons.Person;
import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Person enrichment on a MiniCluster against the testkit with PostHog's rate limits on. */
class PersonEnrichmentJobTest {
    private static final Logger LOG = LoggerFactory.getLogger(PersonEnrichmentJobTest.class);
    private static final int EVENTS = 20_000;
    private static final int DISTINCT_IDS = 2_000;

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    @RegisterExtension
    static PostHogTestServer posthog = PostHogTestServer.builder().rateLimits(true).build();

    @BeforeEach
    void seed() {
        posthog.reset();
        posthog.rateLimits().setEnabled(true);
        for (int i = 0; i < DISTINCT_IDS; i += 2) {
            posthog.seed().createPerson(id(i), Map.of("n", i, "email", "u" + i + "@example.com"));
        }
    }

    private static String id(int i) {
        return "user-" + i;
    }

    @Test
    void everyEventCarriesItsPersonWithFewBatchRequestsAndNo429() throws Exception {
        List<PostHogEvent> events = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            events.add(
                    PostHogEvent.builder("pageview", id(i % DISTINCT_IDS))
                            .property("seq", i)
                            .uuid(new UUID(0, i))
                            .build());
        }
        PersonLookupOptions options =
                PersonLookupOptions.builder(TestkitPersons.clientConfig(posthog))
                        // A batch goes when full, or when the window ends: a short window also
                        // sends whatever a slowly scheduled source delivered within it (33
                        // requests once with 20 ms). This one ends only each subtask's last batch.
                        .batchWindow(Duration.ofSeconds(10))
                        .asyncCapacity(1000)
                        .build();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<String> out = new ArrayList<>();
        try (CloseableIterator<String> results =
                PersonEnrichment.enrich(env.fromData(events), PostHogEvent::distinctId, options)
                        .map(PersonEnrichmentJobTest::describe)
                        .returns(Types.STRING)
                        .executeAndCollect()) {
            results.forEachRemaining(out::add);
        }

        assertThat(out).hasSize(EVENTS);
        for (String line : out) {
            String[] f = line.split("\\|", -1);
            int seq = Integer.parseInt(f[0]);
            int n = seq % DISTINCT_IDS;
            assertThat(f[1]).isEqualTo(id(n));
            if (n % 2 == 0) {
                assertThat(f[2]).as(line).isEqualTo("FOUND");
                assertThat(f[3]).as(line).isEqualTo("true");
                assertThat(f[4]).as(line).isEqualTo(Integer.toString(n));
            } else {
                assertThat(f[2]).as(line).isEqualTo("NOT_FOUND");
            }
        }
        LOG.info(
                "{} events enriched with {} batch requests",
                out.size(),
                TestkitPersons.batchRequests(posthog).size());
        // Each subtask asks for each id once at most (cached, coalesced), in batches of 200:
        // full ones, and one last partial batch each.
        List<List<String>> batches =
                TestkitPersons.batchRequests(posthog).stream().map(TestkitPersons::idsOf).toList();
        assertThat(TestkitPersons.batchRequests(posthog))
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(batches)
                .hasSizeLessThanOrEqualTo(DISTINCT_IDS / 200 * 2)
                .allSatisfy(ids -> assertThat(ids).hasSizeLessThanOrEqualTo(200));
        Map<String, Long> asked =
                batches.stream()
                        .flatMap(List::stream)
                        .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        assertThat(asked)
                .hasSize(DISTINCT_IDS)
                .allSatisfy((id, n) -> assertThat(n).as(id).isLessThanOrEqualTo(2));
        assertThat(posthog.requests()).noneMatch(r -> r.status() == 429);
        assertThat(posthog.counters().getOrDefault("status.429", 0L)).isZero();
    }

    private static String describe(EnrichedWithPerson<PostHogEvent> e) {
        Person p = e.person();
        return e.value().properties().get("seq")
                + "|"
                + e.value().distinctId()
                + "|"
                + e.status()
                + "|"
                + (p != null && p.distinctIds().contains(e.value().distinctId()))
                + "|"
                + (p == null ? "" : p.properties().get("n"));
    }
}
