package io.github.posthogflink.reliability;

import io.github.posthogflink.reliability.cluster.HarnessSettings;
import io.github.posthogflink.reliability.cluster.JarRun;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 3 through the pipeline jar: PostHog answers every person lookup and every capture
 * request after 2 s. The job slows down and nothing breaks: the person lookups follow the
 * pipeline's policy ({@code WAIT}: no lookup times out, so every event keeps its person, and none
 * goes out without one), every event reaches PostHog once, the dead letters are exactly the broken
 * lines, and the job never fails over.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PipelineSlowPostHogTest {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineSlowPostHogTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PipelineEvents INPUT = new PipelineEvents("slow-posthog", 3_000, 500);
    private static final Duration SLOW = Duration.ofSeconds(2);

    private static ReliabilityCluster cluster;
    private static String pipelineJarId;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ReliabilityCluster.start("pipeline-slow", 1);
        pipelineJarId = cluster.flink.rest().uploadJar(HarnessSettings.pipelineJar());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSlowPostHogSlowsThePipelineAndEveryEventKeepsItsPerson() throws Exception {
        // users 0..49 of the input's 100 have a person with a plan; 50..99 have none
        for (int u = 0; u < 50; u++) {
            cluster.posthog.seed().createPerson("user-" + u, Map.of("plan", "plan-" + u));
        }
        Path dir = cluster.flink.layout().root().resolve("slow");
        Files.createDirectories(dir);
        Path input = dir.resolve("input.ndjson");
        Path output = dir.resolve("enriched.ndjson");
        Path deadLetters = dir.resolve("dead-letters.ndjson");
        try (OutputStream out = Files.newOutputStream(input)) {
            for (int i = 0; i < INPUT.records(); i++) {
                out.write(INPUT.record(i));
                out.write('\n');
            }
        }
        cluster.posthog
                .faults()
                .add(
                        FaultRule.matching(
                                        RouteMatcher.pathRegex(
                                                ".*/persons/batch_by_distinct_ids/?"))
                                .delay(SLOW)
                                .always());
        cluster.posthog
                .faults()
                .add(FaultRule.matching(RouteMatcher.capture()).delay(SLOW).always());

        Instant start = Instant.now();
        String jobId =
                cluster.flink
                        .rest()
                        .runJar(
                                pipelineJarId,
                                JarRun.of(
                                        PipelineEvents.PIPELINE_MAIN,
                                        List.of(
                                                "--input",
                                                input.toString(),
                                                "--posthog-host",
                                                cluster.posthog.baseUrl(),
                                                "--project-id",
                                                Long.toString(cluster.posthog.projectId()),
                                                "--persons",
                                                "on",
                                                "--flags",
                                                "off",
                                                "--output",
                                                output.toString(),
                                                "--dead-letter",
                                                deadLetters.toString())));
        cluster.flink.rest().awaitJobState(jobId, Duration.ofMinutes(3), "FINISHED");
        long delayed = cluster.posthog.counters().getOrDefault("faults.delay", 0L);
        long lookups =
                cluster.posthog.requests().stream()
                        .filter(r -> r.path().contains("/persons/batch_by_distinct_ids"))
                        .count();
        LOG.info(
                "Slow PostHog: {} requests delayed by {} ({} person lookups); the job took {} s",
                delayed,
                SLOW,
                lookups,
                Duration.between(start, Instant.now()).toSeconds());

        assertThat(lookups).isPositive();
        assertThat(delayed).isGreaterThan(lookups);
        INPUT.assertExactDelivery(cluster.posthog);
        List<String> enriched = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertThat(enriched).hasSize(INPUT.events());
        for (String line : enriched) {
            JsonNode event = JSON.readTree(line);
            int user = Integer.parseInt(event.path("distinct_id").asText().substring(5));
            JsonNode person = event.get("person");
            assertThat(person).as("the person field of %s", line).isNotNull();
            if (user < 50) {
                assertThat(person.path("properties").path("plan").asText())
                        .isEqualTo("plan-" + user);
            } else {
                assertThat(person.isNull()).as("no person for user-%s", user).isTrue();
            }
        }
        Set<String> expectedDead =
                IntStream.range(0, INPUT.records())
                        .filter(INPUT::isInvalid)
                        .mapToObj(i -> "{\"event\": \"broken " + i + "\"")
                        .collect(Collectors.toSet());
        Set<String> dead = new HashSet<>();
        for (String line : Files.readAllLines(deadLetters, StandardCharsets.UTF_8)) {
            dead.add(JSON.readTree(line).path("payload").asText());
        }
        assertThat(dead).isEqualTo(expectedDead);
        assertThat(
                        JSON.readTree(cluster.flink.rest().exceptions(jobId))
                                .path("exceptionHistory")
                                .path("entries"))
                .as("failovers")
                .isEmpty();
    }
}
