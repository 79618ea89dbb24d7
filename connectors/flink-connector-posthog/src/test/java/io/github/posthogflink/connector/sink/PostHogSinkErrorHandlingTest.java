package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Oversized, malformed and refused events: bisection, dead letters, failing the job. */
@Timeout(180)
class PostHogSinkErrorHandlingTest {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    @RegisterExtension static final PostHogTestServer POSTHOG = PostHogTestServer.builder().build();

    @BeforeEach
    void reset() {
        POSTHOG.reset();
        POSTHOG.faults().clear();
        SinkTestSupport.DEAD_LETTERS.clear();
    }

    private static StreamExecutionEnvironment env() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        return env;
    }

    private static PostHogSinkBuilder<String> jsonSink() {
        return PostHogSink.<String>builder()
                .setHost(POSTHOG.baseUrl())
                .setProjectApiKey(POSTHOG.projectApiKey())
                .setConverter(PostHogEventConverters.jsonStrings())
                .setEventIdentity(json -> json);
    }

    private static String json(int i, String distinctId) {
        return "{\"event\":\"e\",\"distinct_id\":\""
                + distinctId
                + "\",\"timestamp\":\"2026-03-01T00:00:00Z\",\"properties\":{\"i\":"
                + i
                + "}}";
    }

    @Test
    void bisectsARefusedBatchSoTheGoodEventsStillGo() throws Exception {
        List<String> input = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            input.add(json(i, i == 37 ? "" : "user-" + i));
        }
        StreamExecutionEnvironment env = env();
        env.fromData(input)
                .sinkTo(
                        jsonSink()
                                .setMaxBatchSize(100)
                                .setMaxBufferedRequests(1000)
                                .setMaxTimeInBufferMS(60_000)
                                .setErrorHandler(SinkTestSupport::collect)
                                .build());
        env.execute("bisection");

        List<CapturedEvent> stored = POSTHOG.dedupedEvents();
        assertThat(stored).hasSize(99);
        assertThat(stored).noneMatch(e -> e.properties().get("i").asInt() == 37);
        assertThat(SinkTestSupport.DEAD_LETTERS)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.reason()).isEqualTo(RejectReason.REJECTED_BY_POSTHOG);
                            assertThat(d.detail()).contains("400");
                            assertThat(d.payloadAsString()).contains("\"i\":37");
                            assertThat(d.toString()).doesNotContain("\"i\":37");
                        });
        List<RecordedRequest> batches =
                POSTHOG.requests().stream().filter(r -> r.path().startsWith("/batch")).toList();
        // one refused batch of 100, then halves down to the single bad event: 2 per level
        assertThat(batches).hasSizeBetween(3, 1 + 2 * 7);
        assertThat(batches.get(0).status()).isEqualTo(400);
    }

    @Test
    void aBatchRefusedOnceIsBisectedAndFullyDelivered() throws Exception {
        POSTHOG.faults()
                .add(FaultRule.matching(RouteMatcher.path("POST", "/batch/")).status(400).times(1));
        StreamExecutionEnvironment env = env();
        env.fromSequence(1, 40)
                .sinkTo(
                        SinkTestSupport.longSink(POSTHOG)
                                .setMaxBatchSize(40)
                                .setMaxTimeInBufferMS(60_000)
                                .setErrorHandler(SinkTestSupport::collect)
                                .build());
        env.execute("transient 400");

        assertThat(POSTHOG.dedupedEvents()).hasSize(40);
        assertThat(SinkTestSupport.DEAD_LETTERS).isEmpty();
        assertThat(POSTHOG.requests().stream().filter(r -> r.path().startsWith("/batch")))
                .extracting(RecordedRequest::status)
                .containsExactly(400, 200, 200);
    }

    @Test
    void oversizedAndMalformedEventsGoToTheDeadLetterHandler() throws Exception {
        String big =
                "{\"event\":\"big\",\"distinct_id\":\"u\",\"properties\":{\"blob\":\""
                        + "x".repeat(3000)
                        + "\"}}";
        List<String> input =
                List.of(
                        json(1, "a"),
                        big,
                        "{\"event\":\"e\",\"distinct_id\":\"u\",\"uuid\":\"nope\"}",
                        json(2, "b"));
        StreamExecutionEnvironment env = env();
        env.fromData(input)
                .sinkTo(
                        jsonSink()
                                .setMaxRecordSizeInBytes(2000)
                                .setErrorHandler(SinkTestSupport::collect)
                                .build());
        env.execute("dead letters");

        assertThat(POSTHOG.dedupedEvents()).hasSize(2);
        assertThat(SinkTestSupport.DEAD_LETTERS)
                .extracting(DeadLetter::reason)
                .containsExactlyInAnyOrder(RejectReason.OVERSIZED, RejectReason.INVALID_EVENT);
        assertThat(POSTHOG.requests().stream().map(RecordedRequest::bodyText))
                .noneMatch(body -> body.contains("xxxxxxxx") || body.contains("nope"));
    }

    /**
     * With the default {@code maxRecordSizeInBytes}, an event over PostHog's per-event limit (its
     * Kafka producer takes 1,000,000 bytes) is dead-lettered with its reason before sending; it
     * never makes PostHog answer 413 for the batch it would travel in.
     */
    @Test
    void byDefaultAnEventOverPostHogsEventLimitIsDeadLetteredNotSent() throws Exception {
        String big =
                "{\"event\":\"big\",\"distinct_id\":\"u\",\"properties\":{\"blob\":\""
                        + "x".repeat(1_010_000)
                        + "\"}}";
        StreamExecutionEnvironment env = env();
        env.fromData(List.of(json(1, "a"), big, json(2, "b")))
                .sinkTo(jsonSink().setErrorHandler(SinkTestSupport::collect).build());
        env.execute("default record size");

        assertThat(POSTHOG.dedupedEvents()).hasSize(2);
        assertThat(POSTHOG.requests()).noneMatch(r -> r.status() == 413);
        assertThat(SinkTestSupport.DEAD_LETTERS).hasSize(1);
        DeadLetter letter = SinkTestSupport.DEAD_LETTERS.peek();
        assertThat(letter.reason()).isEqualTo(RejectReason.OVERSIZED);
        assertThat(letter.detail())
                .contains(
                        "maxRecordSizeInBytes "
                                + PostHogSinkBuilder.DEFAULT_MAX_RECORD_SIZE_IN_BYTES);
    }

    @Test
    void deadLetterFilesHoldEachRejectionWithItsReasonOneFilePerSubtask(@TempDir Path dir)
            throws Exception {
        String big =
                "{\"event\":\"big\",\"distinct_id\":\"u\",\"properties\":{\"blob\":\""
                        + "x".repeat(3000)
                        + "\"}}";
        List<String> input = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            input.add(json(i, i % 10 == 3 ? "" : "user-" + i));
        }
        input.add(big);
        StreamExecutionEnvironment env = env();
        env.setParallelism(2);
        env.fromData(input)
                .rebalance()
                .sinkTo(
                        jsonSink()
                                .setMaxRecordSizeInBytes(2000)
                                .setErrorHandler(
                                        PostHogSinkErrorHandler.deadLetterFiles(
                                                dir.resolve("dead").toString()))
                                .build());
        env.execute("dead-letter files");

        List<JsonNode> letters = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("dead"))) {
            for (Path file : files.sorted().toList()) {
                assertThat(file.getFileName().toString())
                        .matches("posthog-dead-letters-[01]\\.ndjson");
                for (String line : Files.readAllLines(file)) {
                    letters.add(Json.MAPPER.readTree(line));
                }
            }
        }
        assertThat(POSTHOG.dedupedEvents()).hasSize(36);
        assertThat(letters).hasSize(5);
        assertThat(letters)
                .extracting(l -> l.get("reason").asText())
                .containsOnly("posthog_rejected", "posthog_oversized")
                .containsOnlyOnce("posthog_oversized");
        for (JsonNode letter : letters) {
            assertThat(letter.get("detail").asText()).isNotBlank();
            assertThat(letter.get("uuid").asText()).hasSize(36);
            JsonNode payload = Json.MAPPER.readTree(letter.get("payload").asText());
            assertThat(payload.get("uuid").asText()).isEqualTo(letter.get("uuid").asText());
            if (letter.get("reason").asText().equals("posthog_rejected")) {
                assertThat(payload.get("distinct_id").asText()).isEmpty();
            } else {
                assertThat(payload.get("event").asText()).isEqualTo("big");
            }
        }
        assertThat(letters.toString()).doesNotContain(POSTHOG.projectApiKey());
    }

    @Test
    void byDefaultARefusedEventFailsTheJob() {
        StreamExecutionEnvironment env = env();
        env.fromData(List.of(json(1, "a"), json(2, ""))).sinkTo(jsonSink().build());

        assertThatThrownBy(() -> env.execute("fail job"))
                .satisfies(
                        e ->
                                assertThat(
                                                ExceptionUtils.findThrowable(
                                                        e, PostHogSinkException.class))
                                        .hasValueSatisfying(
                                                p ->
                                                        assertThat(p.getMessage())
                                                                .contains("REJECTED_BY_POSTHOG")));
    }

    @Test
    void aWrongProjectKeyFailsTheJobWithoutLeakingIt() {
        StreamExecutionEnvironment env = env();
        env.fromData(List.of(json(1, "a")))
                .sinkTo(
                        PostHogSink.<String>builder()
                                .setHost(POSTHOG.baseUrl())
                                .setProjectApiKey("phc_wrong_secret_key")
                                .setConverter(PostHogEventConverters.jsonStrings())
                                .setEventIdentity(json -> json)
                                .build());

        assertThatThrownBy(() -> env.execute("wrong key"))
                .satisfies(
                        e -> {
                            assertThat(ExceptionUtils.findThrowable(e, PostHogSinkException.class))
                                    .isPresent();
                            assertThat(ExceptionUtils.stringifyException(e))
                                    .doesNotContain("phc_wrong_secret_key");
                        });
    }

    /** Lifecycle calls seen by {@link LifecycleHandler}s, across the serialized copies. */
    static final java.util.Queue<String> LIFECYCLE =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Records open, each rejection and close. */
    static final class LifecycleHandler implements PostHogSinkErrorHandler {
        private boolean open;

        @Override
        public void open(org.apache.flink.api.connector.sink2.WriterInitContext context) {
            open = true;
            LIFECYCLE.add("open " + context.getTaskInfo().getIndexOfThisSubtask());
        }

        @Override
        public void onRejected(DeadLetter deadLetter) {
            LIFECYCLE.add(open ? "rejected " + deadLetter.reason() : "rejected before open");
        }

        @Override
        public void close() {
            LIFECYCLE.add("close");
        }
    }

    @Test
    void theErrorHandlerIsOpenedBeforeItsFirstRejectionAndClosedWithTheWriter() throws Exception {
        LIFECYCLE.clear();
        StreamExecutionEnvironment env = env();
        env.fromData(List.of(json(1, "a"), json(2, ""), json(3, "c")))
                .sinkTo(jsonSink().setErrorHandler(new LifecycleHandler()).build());
        env.execute("handler lifecycle");

        assertThat(LIFECYCLE).containsExactly("open 0", "rejected REJECTED_BY_POSTHOG", "close");
        assertThat(POSTHOG.dedupedEvents()).hasSize(2);
    }
}
