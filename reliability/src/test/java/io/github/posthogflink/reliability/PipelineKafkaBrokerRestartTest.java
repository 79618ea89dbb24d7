package io.github.posthogflink.reliability;

import io.github.posthogflink.reliability.cluster.HarnessSettings;
import io.github.posthogflink.reliability.cluster.JarRun;
import io.github.posthogflink.reliability.kafka.KafkaTestBroker;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;

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
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 5: the pipeline jar reads a 3-partition topic of a real KRaft broker (in the test JVM)
 * and writes dead letters to another topic; mid-stream the broker is shut down until the job has
 * drained what it had fetched (deliveries stall), then started again on the same port. The job
 * finishes without help: every event reaches PostHog once after deduplication, and the dead-letter
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
        kafka.produce(
                "events", 3, IntStream.range(0, INPUT.records()).mapToObj(INPUT::record).toList());
        // PostHog answers after a second: the job runs long enough to be hit mid-stream.
        cluster.posthog
                .faults()
                .add(
                        FaultRule.matching(RouteMatcher.capture())
                                .delay(Duration.ofSeconds(1))
                                .always());
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
                                                        "--bounded",
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
        SequenceJobs.awaitCheckpointAndDelivered(cluster, jobId, INPUT.events() / 5);

        kafka.stopBroker();
        long stoppedAt = System.nanoTime();
        long atStop = SequenceJobs.dedupedCount(cluster.posthog);
        awaitDeliveriesStall(Duration.ofSeconds(3));
        long stalledAt = SequenceJobs.dedupedCount(cluster.posthog);
        kafka.startBroker();
        long downMs = (System.nanoTime() - stoppedAt) / 1_000_000;
        cluster.flink.rest().awaitJobState(jobId, Duration.ofMinutes(3), "FINISHED");
        LOG.info(
                "Kafka restart: broker down {} ms; {} events delivered at the stop, {} when"
                        + " deliveries stalled, of {}; {} failovers",
                downMs,
                atStop,
                stalledAt,
                INPUT.events(),
                JSON.readTree(cluster.flink.rest().exceptions(jobId))
                        .path("exceptionHistory")
                        .path("entries")
                        .size());

        assertThat(stalledAt).as("the outage hit mid-stream").isLessThan(INPUT.events());
        INPUT.assertExactDelivery(cluster.posthog);

        Set<String> expectedDead =
                IntStream.range(0, INPUT.records())
                        .filter(INPUT::isInvalid)
                        .mapToObj(i -> "{\"event\": \"broken " + i + "\"")
                        .collect(Collectors.toSet());
        List<ConsumerRecord<byte[], byte[]>> dead =
                kafka.read(
                        "dead", expectedDead.size(), Duration.ofSeconds(30), Duration.ofSeconds(2));
        List<String> payloads = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            JsonNode letter = JSON.readTree(new String(record.value(), StandardCharsets.UTF_8));
            assertThat(letter.path("reason").asText()).isEqualTo("invalid_json");
            payloads.add(letter.path("payload").asText());
        }
        assertThat(new HashSet<>(payloads)).as("dead letters").isEqualTo(expectedDead);
        LOG.info(
                "Kafka restart: {} dead letters for {} broken lines",
                payloads.size(),
                expectedDead.size());
        Secrets.assertNoKeys("/jobs/:id/exceptions", cluster.flink.rest().exceptions(jobId));
        assertThat(Secrets.filesContainingKeys(cluster.flink.layout().log())).isEmpty();
    }

    /** Waits until PostHog has received no new event for {@code quiet}. */
    private static void awaitDeliveriesStall(Duration quiet) {
        AtomicLong last = new AtomicLong(-1);
        AtomicLong changedAt = new AtomicLong(System.nanoTime());
        await("deliveries stall while the broker is down")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            long now = SequenceJobs.dedupedCount(cluster.posthog);
                            if (now != last.getAndSet(now)) {
                                changedAt.set(System.nanoTime());
                            }
                            return System.nanoTime() - changedAt.get() >= quiet.toNanos();
                        });
    }
}
