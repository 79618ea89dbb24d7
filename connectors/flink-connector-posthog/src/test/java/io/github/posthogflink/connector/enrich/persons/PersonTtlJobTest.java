package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A running job sees a person's update once the cache TTL has passed. */
class PersonTtlJobTest {
    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.withSlots(1);

    @RegisterExtension
    static PostHogTestServer posthog = PostHogTestServer.builder().rateLimits(true).build();

    @Test
    void anUpdateInPostHogReachesTheStreamAfterTheTtl() throws Exception {
        posthog.reset();
        posthog.rateLimits().setEnabled(true);
        posthog.seed().createPerson("live", Map.of("plan", "free"));
        PersonLookupOptions options =
                PersonLookupOptions.builder(TestkitPersons.clientConfig(posthog))
                        .batchWindow(Duration.ofMillis(5))
                        .cacheTtl(Duration.ofMillis(500))
                        .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        // 100 lookups of the same id a second, for at most a minute.
        DataGeneratorSource<String> source =
                new DataGeneratorSource<>(
                        i -> "live", 6_000, RateLimiterStrategy.perSecond(100), Types.STRING);
        PersonLookup<String, String> lookup =
                new PersonLookup<>(
                        options,
                        id -> id,
                        (id, r) ->
                                String.valueOf(r.person().orElseThrow().properties().get("plan")));

        List<String> plans = new ArrayList<>();
        try (CloseableIterator<String> it =
                PersonEnrichment.apply(
                                env.fromSource(source, WatermarkStrategy.noWatermarks(), "ids"),
                                lookup,
                                options)
                        .returns(Types.STRING)
                        .executeAndCollect()) {
            plans.add(it.next());
            posthog.seed().createPerson("live", Map.of("plan", "pro"));
            while (it.hasNext()) {
                String plan = it.next();
                plans.add(plan);
                if (plan.equals("pro")) {
                    break;
                }
            }
        }

        assertThat(plans.get(0)).isEqualTo("free");
        assertThat(plans.get(plans.size() - 1)).isEqualTo("pro");
        // One request per TTL period at most, plus the first: far fewer than the lookups.
        assertThat(TestkitPersons.batchRequests(posthog).size())
                .isBetween(2, plans.size() / 10 + 2);
        assertThat(posthog.requests()).noneMatch(r -> r.status() == 429);
    }
}
