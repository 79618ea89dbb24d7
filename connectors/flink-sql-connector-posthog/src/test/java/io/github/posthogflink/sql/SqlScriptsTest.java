package io.github.posthogflink.sql;

import io.github.posthogflink.testkit.EnvironmentVariables;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The scripts of {@code sql/} through a TableEnvironment, from a real Kafka to the testkit. */
class SqlScriptsTest {
    static final Instant BASE = Instant.parse("2026-03-01T10:00:00Z");

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private static KafkaTestCluster kafka;
    private static EnvironmentVariables keys;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaTestCluster.start();
        keys = EnvironmentVariables.set(keys());
    }

    @AfterAll
    static void stopKafka() throws Exception {
        keys.close();
        kafka.close();
    }

    /** The scripts read their keys from the environment ('credentials.provider' = 'ENV'). */
    static Map<String, String> keys() {
        return Map.of(
                "POSTHOG_PROJECT_API_KEY",
                posthog.projectApiKey(),
                "POSTHOG_PERSONAL_API_KEY",
                posthog.personalApiKey());
    }

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    @Test
    void kafkaToPostHog() throws Exception {
        kafka.produce("orders", orders(20));
        SqlScripts.run(tableEnv(), SqlScripts.load("kafka-to-posthog.sql", placeholders("orders")));

        Map<UUID, CapturedEvent> events = byUuid(posthog.events());
        assertThat(events).hasSize(20);
        for (int i = 0; i < 20; i++) {
            CapturedEvent e = events.get(new UUID(0x0190e3b400007000L, 0x8000000000000000L | i));
            assertThat(e).as("order %d", i).isNotNull();
            assertThat(e.event()).isEqualTo("order placed");
            assertThat(e.distinctId()).isEqualTo("customer-" + (i % 5));
            assertThat(e.property("total")).isEqualTo(i + ".50");
            assertThat(e.property("currency")).isEqualTo("EUR");
            assertThat(e.property("source")).isEqualTo("kafka");
            assertThat(e.timestamp()).isEqualTo(BASE.plusSeconds(i));
        }
    }

    @Test
    void pageViewsEnrichedWithPersonsAndFlags() throws Exception {
        posthog.seed().createPerson("visitor-0", Map.of("plan", "pro"));
        posthog.seed().createPerson("visitor-1", Map.of("plan", "free"));
        posthog.seed().createFlag("beta", 100);
        List<String> views = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            views.add(
                    "{\"view_id\": \""
                            + new UUID(0x0190e3b400007000L, 0x8000000000001000L | i)
                            + "\", \"distinct_id\": \"visitor-"
                            + (i % 3)
                            + "\", \"path\": \"/p/"
                            + i
                            + "\", \"viewed_at\": \""
                            + BASE.plusSeconds(i)
                            + "\"}");
        }
        kafka.produce("page-views", views);
        SqlScripts.run(
                tableEnv(),
                SqlScripts.load("enrich-persons-flags.sql", placeholders("page-views")));

        List<CapturedEvent> events = posthog.events();
        assertThat(events).hasSize(12);
        for (CapturedEvent e : events) {
            assertThat(e.event()).isEqualTo("enriched page view");
            String expectedPlan =
                    switch (e.distinctId()) {
                        case "visitor-0" -> "pro";
                        case "visitor-1" -> "free";
                        default -> null;
                    };
            assertThat(e.property("plan")).as(e.distinctId()).isEqualTo(expectedPlan);
            assertThat(e.property("$feature/beta")).isEqualTo("true");
            assertThat(e.properties().path("$active_feature_flags").toString())
                    .isEqualTo("[\"beta\"]");
            assertThat(e.property("path")).startsWith("/p/");
        }
        assertThat(
                        posthog.requests().stream()
                                .filter(r -> r.path().endsWith("/persons/batch_by_distinct_ids/"))
                                .count())
                .as("the partial cache keeps each person")
                .isLessThanOrEqualTo(3);
    }

    @Test
    void hogqlSnapshotJoinedToKafka() throws Exception {
        posthog.seed().createPerson("p-a", Map.of("email", "a@example.com", "plan", "pro"));
        posthog.seed().createPerson("p-b", Map.of("email", "b@example.com", "plan", "free"));
        List<String> orders = new ArrayList<>();
        String[] emails = {"a@example.com", "b@example.com", "nobody@example.com"};
        for (int i = 0; i < 9; i++) {
            orders.add(
                    "{\"event_id\": \""
                            + new UUID(0x0190e3b400007000L, 0x8000000000002000L | i)
                            + "\", \"customer_email\": \""
                            + emails[i % 3]
                            + "\", \"total\": "
                            + i
                            + ", \"placed_at\": \""
                            + BASE.plusSeconds(i)
                            + "\"}");
        }
        kafka.produce("plan-orders", orders);
        SqlScripts.run(
                tableEnv(),
                SqlScripts.load("hogql-snapshot-join.sql", placeholders("plan-orders")));

        List<CapturedEvent> events = posthog.events();
        assertThat(events).hasSize(6);
        assertThat(events)
                .allSatisfy(
                        e -> {
                            assertThat(e.event()).isEqualTo("order with plan");
                            assertThat(e.property("plan"))
                                    .isEqualTo(e.distinctId().startsWith("a@") ? "pro" : "free");
                        });
    }

    static List<String> orders(int count) {
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            orders.add(
                    "{\"event_id\": \""
                            + new UUID(0x0190e3b400007000L, 0x8000000000000000L | i)
                            + "\", \"customer_id\": \"customer-"
                            + (i % 5)
                            + "\", \"total\": "
                            + i
                            + ".5, \"currency\": \"EUR\", \"placed_at\": \""
                            + BASE.plusSeconds(i)
                            + "\"}");
        }
        return orders;
    }

    static Map<String, String> placeholders(String topic) {
        Map<String, String> values = new HashMap<>();
        values.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        values.put("KAFKA_TOPIC", topic);
        values.put("KAFKA_GROUP_ID", "sql-test-" + topic);
        values.put("KAFKA_SCAN_BOUNDED_MODE", "latest-offset");
        values.put("POSTHOG_HOST", posthog.baseUrl());
        values.put("POSTHOG_PROJECT_ID", Long.toString(posthog.projectId()));
        return values;
    }

    static Map<UUID, CapturedEvent> byUuid(List<CapturedEvent> events) {
        return events.stream().collect(Collectors.toMap(CapturedEvent::uuid, Function.identity()));
    }

    private static TableEnvironment tableEnv() {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("parallelism.default", "1");
        return env;
    }
}
