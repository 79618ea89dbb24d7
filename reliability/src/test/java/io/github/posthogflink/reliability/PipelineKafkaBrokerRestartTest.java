package io.github.posthogflink.reliability;

import io.github.posthogflink.reliability.cluster.HarnessSettings;
import io.github.posthogflink.reliability.cluster.JarRun;
import io.github.posthogflink.reliability.kafka.KafkaTestBroker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
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
 * Scenario 5: the pipeline jar reads a 3-partition topic of a real KRaft broker (in the test JVM)
 * and writes dead letters to another topic. The first half of the input is delivered; then the
 * broker is shut down while the job keeps running (its consumer, offset commits and dead-letter
 * producer lose their broker through at least two checkpoints), started again on the same port, and
 * the second half is produced. The second half exists only after the restart, so the job must
 * reconnect to read it: every event reaches PostHog once after deduplication, and the dead-letter
 * topic holds exactly the broken lines (at least once: a line may appear twice after a restore).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PipelineKafkaBrokerRestartTest {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineKafkaBrokerRestartTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PipelineEvents INPUT = new PipelineEvents("kafka-restart", 20_000, 400);

    private static ReliabilityCluster cluster;
    private static KafkaTestBroker kafka;
    private static String pipelineJarId;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaTestBroker.start();
        cluster = ReliabilityCluster.start("pipeline-kafka-restart", 2);
        pipelineJarId = cluster.flink.rest().uploadJar(HarnessSettings.pipelineJar());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    @Test
    void aBrokerRestartMidStreamLosesAndDuplicatesNothing() throws Exception {
        kafka.createTopic("events", 3);
        kafka.createTopic("dead", 1);
        int half = INPUT.records() / 2;
        kafka.produce("events", 3, records(0, half));
        String jobId =
                cluster.flink
                        .rest()
                        .runJar(
                                pipelineJarId,
                                JarRun.of(
                                                PipelineEvents.PIPELINE_MAIN,
                                                List.of(
                                                        "--kafka-bootstrap-servers",
                                                        kafka.bootstrapServers(),
                                                        "--kafka-topic",
                                                        "events",
                                                        "--kafka-group-id",
                                                        "restart-test",
                                                        "--dead-letter-topic",
                                                        "dead",
                                                        "--posthog-host",
                                                        cluster.posthog.baseUrl(),
                                                        "--checkpoint-interval",
                                                        "1s",
                                                        "--persons",
                                                        "off",
                                                        "--flags",
                                                        "off"))
                                        .parallelism(2));
        cluster.flink.rest().awaitJobState(jobId, Duration.ofSeconds(60), "RUNNING");
        long firstHalfEvents = IntStream.range(0, half).filter(i -> !INPUT.isInvalid(i)).count();
        SequenceJobs.awaitCheckpointAndDelivered(cluster, jobId, firstHalfEvents);

        kafka.stopBroker();
        long stoppedAt = System.nanoTime();
        long checkpointsAtStop = triggeredCheckpoints(jobId);
        await("two checkpoints triggered while the broker is down")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> triggeredCheckpoints(jobId) >= checkpointsAtStop + 2);
        kafka.startBroker();
        long downMs = (System.nanoTime() - stoppedAt) / 1_000_000;
        kafka.produce("events", 3, records(half, INPUT.records()));

        await("every event delivered after the restart")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> SequenceJobs.dedupedCount(cluster.posthog) >= INPUT.events());
        INPUT.assertExactDelivery(cluster.posthog);

        Set<String> expectedDead =
                IntStream.range(0, INPUT.records())
                        .filter(INPUT::isInvalid)
                        .mapToObj(i -> "{\"event\": \"broken " + i + "\"")
                        .collect(Collectors.toSet());
        List<ConsumerRecord<byte[], byte[]>> dead =
                kafka.read(
                        "dead", expectedDead.size(), Duration.ofSeconds(60), Duration.ofSeconds(2));
        List<String> payloads = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            JsonNode letter = JSON.readTree(new String(record.value(), StandardCharsets.UTF_8));
            assertThat(letter.path("reason").asText()).isEqualTo("invalid_json");
            payloads.add(letter.path("payload").asText());
        }
        assertThat(new HashSet<>(payloads)).as("dead letters").isEqualTo(expectedDead);
        String exceptions = cluster.flink.rest().exceptions(jobId);
        LOG.info(
                "Kafka restart: broker down {} ms; {} events before the stop and {} in all;"
                        + " {} dead letters for {} broken lines; {} failovers",
                downMs,
                firstHalfEvents,
                INPUT.events(),
                payloads.size(),
                expectedDead.size(),
                JSON.readTree(exceptions).path("exceptionHistory").path("entries").size());
        // the REST metric store refreshes every 10 s: a restarted attempt's operators show later
        String metrics =
                await("the running job's operator metrics over REST")
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(
                                () -> cluster.flink.rest().metricsDump(jobId),
                                dump ->
                                        dump.contains("posthog__Writer.posthog.sink.eventsSent")
                                                && dump.contains("posthog.pipeline.deadLettered"));
        Secrets.assertNoKeys("metrics", metrics);
        cluster.flink.rest().cancel(jobId);
        Secrets.assertNoKeys("/jobs/:id/exceptions", exceptions);
        assertThat(Secrets.filesContainingKeys(cluster.flink.layout().log())).isEmpty();
    }

    private static List<byte[]> records(int from, int to) {
        return IntStream.range(from, to).mapToObj(INPUT::record).toList();
    }

    private static long triggeredCheckpoints(String jobId) throws Exception {
        return cluster.flink.rest().checkpoints(jobId).path("counts").path("total").asLong();
    }
}
