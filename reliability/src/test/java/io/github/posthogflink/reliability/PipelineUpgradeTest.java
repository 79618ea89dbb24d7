package io.github.posthogflink.reliability;

import io.github.posthogflink.reliability.cluster.HarnessSettings;
import io.github.posthogflink.reliability.cluster.JarRun;
import io.github.posthogflink.reliability.cluster.RebuiltJar;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 4 (profile {@code -Preliability}): the pipeline jar reads an NDJSON file into PostHog;
 * mid-stream it is stopped with a savepoint, and a new build of the jar (another file, another
 * build id) is started from that savepoint with a changed graph (a file output added, parallelism 1
 * to 2) and without {@code allowNonRestoredState}: the operators' uids carry the state over. Every
 * event reaches PostHog once after deduplication; the two runs' dead letters together are the
 * broken lines, each once.
 */
@Tag("reliability")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PipelineUpgradeTest {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineUpgradeTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PipelineEvents INPUT = new PipelineEvents("upgrade", 30_000, 500);
    private static final String NEW_BUILD = "upgrade-test-2";

    private static ReliabilityCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = ReliabilityCluster.start("pipeline-upgrade", 2);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSavepointRestoresIntoANewBuildWithoutLossOrDuplicates() throws Exception {
        Path root = cluster.flink.layout().root();
        Path input = root.resolve("input/events.ndjson");
        writeInput(input);
        Path oldJar = HarnessSettings.pipelineJar();
        Path newJar =
                RebuiltJar.withBuildId(oldJar, root.resolve("jobs/pipeline-2.jar"), NEW_BUILD);
        assertThat(RebuiltJar.sha256(newJar)).isNotEqualTo(RebuiltJar.sha256(oldJar));
        String oldJarId = cluster.flink.rest().uploadJar(oldJar);
        String newJarId = cluster.flink.rest().uploadJar(newJar);
        assertThat(newJarId).isNotEqualTo(oldJarId);
        cluster.posthog
                .faults()
                .add(
                        FaultRule.matching(RouteMatcher.capture())
                                .delay(Duration.ofSeconds(1))
                                .always());

        Path deadBefore = root.resolve("out/dead-before.ndjson");
        String first =
                cluster.flink
                        .rest()
                        .runJar(
                                oldJarId,
                                JarRun.of(PipelineEvents.PIPELINE_MAIN, args(input, deadBefore)));
        cluster.flink.rest().awaitJobState(first, Duration.ofSeconds(60), "RUNNING");
        await("a fifth of the events")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> SequenceJobs.dedupedCount(cluster.posthog) >= INPUT.events() / 5);
        String savepoint =
                cluster.flink
                        .rest()
                        .stopWithSavepoint(first, cluster.flink.layout().savepoints(), false);
        cluster.flink.rest().awaitJobState(first, Duration.ofSeconds(60), "FINISHED");
        long atStop = SequenceJobs.dedupedCount(cluster.posthog);
        assertThat(atStop).as("stopped mid-stream").isLessThan(INPUT.events());

        Path deadAfter = root.resolve("out/dead-after.ndjson");
        Path output = root.resolve("out/enriched.ndjson");
        List<String> newArgs = new ArrayList<>(args(input, deadAfter));
        newArgs.addAll(List.of("--output", output.toString()));
        String second =
                cluster.flink
                        .rest()
                        .runJar(
                                newJarId,
                                JarRun.of(PipelineEvents.PIPELINE_MAIN, newArgs)
                                        .parallelism(2)
                                        .fromSavepoint(savepoint, false));
        cluster.flink.rest().awaitJobState(second, Duration.ofMinutes(3), "FINISHED");
        LOG.info(
                "Upgrade: savepoint {} with {} of {} events delivered; new build {}",
                savepoint,
                atStop,
                INPUT.events(),
                NEW_BUILD);

        assertThat(build(first)).isNotEqualTo(NEW_BUILD);
        assertThat(build(second)).as("the new jar runs").isEqualTo(NEW_BUILD);
        assertThat(
                        cluster.flink
                                .rest()
                                .checkpoints(second)
                                .path("latest")
                                .path("restored")
                                .path("external_path")
                                .asText())
                .as("restored from the savepoint")
                .isEqualTo(savepoint);
        INPUT.assertExactDelivery(cluster.posthog);

        List<String> deadSources = new ArrayList<>();
        for (Path file : List.of(deadBefore, deadAfter)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                deadSources.add(JSON.readTree(line).path("source").asText());
            }
        }
        Set<String> expectedDead =
                IntStream.range(0, INPUT.records())
                        .filter(INPUT::isInvalid)
                        .mapToObj(i -> "file:" + input + ":" + (i + 1))
                        .collect(Collectors.toSet());
        assertThat(new HashSet<>(deadSources)).isEqualTo(expectedDead);
        assertThat(deadSources).as("each broken line once").hasSameSizeAs(expectedDead);

        List<String> outputUuids = new ArrayList<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            outputUuids.add(JSON.readTree(line).path("uuid").asText());
        }
        assertThat(outputUuids)
                .as("the output added by the upgrade")
                .isNotEmpty()
                .doesNotHaveDuplicates();
        assertThat(outputUuids.size()).isLessThanOrEqualTo(INPUT.events() - (int) atStop);
        assertThat(Secrets.filesContainingKeys(cluster.flink.layout().savepoints())).isEmpty();
    }

    private static List<String> args(Path input, Path deadLetters) {
        return List.of(
                "--input",
                input.toString(),
                "--dead-letter",
                deadLetters.toString(),
                "--posthog-host",
                cluster.posthog.baseUrl(),
                "--checkpoint-interval",
                "2s",
                "--persons",
                "off",
                "--flags",
                "off");
    }

    /** The build id the job shows in its user config. */
    private static String build(String jobId) throws Exception {
        JsonNode config = JSON.readTree(cluster.flink.rest().jobConfig(jobId));
        return config.path("execution-config")
                .path("user-config")
                .path("posthog-pipeline.build")
                .asText();
    }

    private static void writeInput(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < INPUT.records(); i++) {
                out.write(INPUT.record(i));
                out.write('\n');
            }
        }
    }
}
