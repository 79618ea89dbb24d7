package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.testkit.PostHogServer;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.types.RowKind;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The split reader on its own: failed polls, async queries, wake-ups and cancellation. */
class HogQLSplitReaderTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final String PAGED_QUERY =
            "SELECT uuid, event FROM events WHERE toString(uuid) > {phf_page_after}"
                    + " ORDER BY toString(uuid) LIMIT {phf_page_size}";
    private static final String QUERY =
            "SELECT distinct_id, count() AS n FROM events GROUP BY distinct_id"
                    + " ORDER BY distinct_id LIMIT 100";

    @BeforeEach
    void reset() {
        posthog.reset();
        HogQLTestSupport.seedEvents(posthog, 3, 1, 5);
    }

    private static HogQLSourceBuilder<String> builder(PostHogClientConfig config) {
        return HogQLSource.<String>builder()
                .client(config.toBuilder().retryPolicy(RetryPolicy.NONE).build())
                .snapshot(QUERY)
                .pollInterval(Duration.ofMillis(20))
                .failureBackoff(Duration.ofMillis(10), Duration.ofMillis(40))
                .asyncStatusInterval(Duration.ofMillis(10))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .deserializer(HogQLRowDeserializer.mapping(row -> "", Types.STRING));
    }

    private static HogQLSplitReader reader(HogQLSource<String> source, HogQLSourceMetrics metrics) {
        return HogQLTestSupport.splitReader(source, metrics);
    }

    private static List<HogQLRecord> records(RecordsWithSplitIds<HogQLRecord> batch) {
        return HogQLTestSupport.records(batch);
    }

    @Test
    void aFailingPollKeepsTheLastSnapshotAndShowsInTheMetrics() throws Exception {
        HogQLSourceMetrics metrics = new HogQLSourceMetrics();
        try (HogQLSplitReader reader =
                reader(builder(HogQLTestSupport.config(posthog)).build(), metrics)) {
            List<HogQLRecord> first = records(reader.fetch());
            assertThat(first).hasSize(3).allSatisfy(r -> assertThat(r.version()).isEqualTo(1));
            assertThat(metrics.lastSuccessfulPollTime()).isEqualTo(NOW.toEpochMilli());

            FaultRule outage =
                    posthog.faults()
                            .add(FaultRule.matching(RouteMatcher.query()).status(503).always());
            assertThat(records(reader.fetch())).isEmpty();
            assertThat(records(reader.fetch())).isEmpty();
            assertThat(metrics.consecutiveFailedPolls()).isEqualTo(2);
            assertThat(metrics.failedPolls()).isEqualTo(2);
            assertThat(metrics.lastSuccessfulPollTime()).isEqualTo(NOW.toEpochMilli());

            posthog.faults().remove(outage.id());
            List<HogQLRecord> next = records(reader.fetch());
            assertThat(next).hasSize(3).allSatisfy(r -> assertThat(r.version()).isEqualTo(2));
            assertThat(metrics.consecutiveFailedPolls()).isZero();
        }
    }

    @Test
    void aNonRetryableErrorFailsTheFetchWithTheServersMessage() {
        HogQLSource<String> source =
                builder(HogQLTestSupport.config(posthog)).snapshot("SELECT nope(1)").build();
        try (HogQLSplitReader reader = reader(source, new HogQLSourceMetrics())) {
            assertThatThrownBy(reader::fetch)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("HTTP 400")
                    .hasMessageContaining("nope");
        }
    }

    @Test
    void aSnapshotLargerThanOneResponseFailsInsteadOfBeingTruncated() {
        HogQLTestSupport.seedEvents(posthog, 100, 1, 6); // 103 events; no LIMIT means 100 rows
        HogQLSource<String> source =
                builder(HogQLTestSupport.config(posthog))
                        .snapshot("SELECT uuid FROM events")
                        .build();
        try (HogQLSplitReader reader = reader(source, new HogQLSourceMetrics())) {
            assertThatThrownBy(reader::fetch)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("hasMore")
                    .hasMessageContaining("add LIMIT n");
        }
    }

    @Test
    void aPagedSnapshotReadsEveryRowByKeysetAndEmitsThemAsOneVersion() throws Exception {
        HogQLTestSupport.seedEvents(posthog, 100, 1, 6); // 103 events in all
        HogQLSource<String> source = pagedBy25();
        try (HogQLSplitReader reader = reader(source, new HogQLSourceMetrics())) {
            List<HogQLRecord> first = fetchUntilRecords(reader);
            List<String> queries = queryTexts();
            List<HogQLRecord> second = fetchUntilRecords(reader);

            assertThat(first).hasSize(103).allSatisfy(r -> assertThat(r.version()).isEqualTo(1));
            assertThat(first.stream().map(r -> r.values().get(0)).distinct()).hasSize(103);
            assertThat(first.get(102).lastOfPoll()).isTrue();
            assertThat(first.get(0).count()).isEqualTo(103);
            assertThat(queries).hasSize(5); // 4 full pages of 25, then 3 rows
            assertThat(queries.get(0)).contains("\"phf_page_after\":\"\"");
            assertThat(queries.get(1))
                    .contains("\"phf_page_after\":\"" + first.get(24).values().get(0) + "\"");
            assertThat(queries).allMatch(q -> q.contains("\"phf_page_size\":25"));
            assertThat(second).hasSize(103).allSatisfy(r -> assertThat(r.version()).isEqualTo(2));
            assertThat(queryTexts()).hasSize(10);
        }
    }

    @Test
    void aPagedSnapshotThatFailsMidwayStartsOverWithoutDuplicates() throws Exception {
        HogQLTestSupport.seedEvents(posthog, 100, 1, 6);
        // the third page's start fails (status polls in between are not counted)
        posthog.faults()
                .add(
                        FaultRule.matching(
                                        RouteMatcher.pathRegex(
                                                "POST",
                                                "/api/(projects|environments)/[^/]+/query/"))
                                .status(503)
                                .afterPassing(2)
                                .times(1));
        HogQLSource<String> source = pagedBy25();
        HogQLSourceMetrics metrics = new HogQLSourceMetrics();
        try (HogQLSplitReader reader = reader(source, metrics)) {
            List<HogQLRecord> snapshot = fetchUntilRecords(reader);

            assertThat(metrics.failedPolls()).isEqualTo(1);
            assertThat(snapshot).hasSize(103);
            assertThat(snapshot.stream().map(r -> r.values().get(0)).distinct()).hasSize(103);
            assertThat(queryTexts()).hasSize(2 + 1 + 5);
        }
    }

    @Test
    void aPagedSnapshotQueryMustPageItself() {
        assertThatThrownBy(
                        () ->
                                builder(HogQLTestSupport.config(posthog))
                                        .snapshot("SELECT uuid FROM events LIMIT 50000")
                                        .pageSnapshotBy("uuid", "")
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{phf_page_after}");
    }

    private static HogQLSource<String> pagedBy25() {
        return builder(HogQLTestSupport.config(posthog))
                .snapshot(PAGED_QUERY)
                .pageSnapshotBy("uuid", "")
                .pageSize(25)
                .build();
    }

    private static List<HogQLRecord> fetchUntilRecords(HogQLSplitReader reader) throws IOException {
        for (int i = 0; i < 50; i++) {
            List<HogQLRecord> batch = records(reader.fetch());
            if (!batch.isEmpty()) {
                return batch;
            }
        }
        throw new AssertionError("no snapshot after 50 fetches");
    }

    private static List<String> queryTexts() {
        return posthog.requests().stream()
                .filter(r -> r.path().endsWith("/query/"))
                .map(r -> r.bodyText())
                .toList();
    }

    @Test
    void aChangelogRestoredFromItsStateEmitsOnlyWhatChangedSince() throws Exception {
        HogQLSource<String> source =
                builder(HogQLTestSupport.config(posthog)).changelogKey("distinct_id").build();
        HogQLSplitState state = new HogQLSplitState(source.initialSplit(), true);
        try (HogQLSplitReader reader = reader(source, new HogQLSourceMetrics())) {
            List<HogQLRecord> first = records(reader.fetch());
            assertThat(first).extracting(HogQLRecord::kind).containsOnly(RowKind.INSERT);
            first.forEach(state::apply);
        }
        HogQLSplit checkpointed = state.toSplit();
        HogQLTestSupport.capture(
                posthog,
                List.of(HogQLTestSupport.event("user-1", HogQLTestSupport.BASE, Map.of())));

        HogQLSplitReader restored =
                new HogQLSplitReader(
                        source.options(),
                        new HogQLSourceMetrics(),
                        HogQLSourceReader.SharedExecutor::new);
        restored.handleSplitsChanges(
                new SplitsAddition<>(
                        List.of(
                                HogQLSplitSerializer.INSTANCE.deserialize(
                                        1,
                                        HogQLSplitSerializer.INSTANCE.serialize(checkpointed)))));
        try (restored) {
            List<HogQLRecord> changes = records(restored.fetch());
            assertThat(changes)
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.kind()).isEqualTo(RowKind.UPDATE_AFTER);
                                assertThat(r.values()).containsExactly("user-1", 2);
                            });
        }
    }

    @Test
    void asyncExecutionPollsTheQueryStatus() throws Exception {
        HogQLSource<String> source =
                builder(HogQLTestSupport.config(posthog))
                        .asyncExecution(true)
                        .asyncStatusInterval(Duration.ofMillis(10))
                        .build();
        try (HogQLSplitReader reader = reader(source, new HogQLSourceMetrics())) {
            List<HogQLRecord> rows = records(reader.fetch());
            assertThat(rows).hasSize(3);
        }
        assertThat(HogQLTestSupport.queryRequests(posthog))
                .singleElement()
                .satisfies(r -> assertThat(r.bodyText()).contains("\"refresh\":\"force_async\""));
    }

    @Test
    void wakeUpEndsAWaitForTheNextPoll() throws Exception {
        HogQLSource<String> source =
                builder(HogQLTestSupport.config(posthog)).pollInterval(Duration.ofHours(1)).build();
        try (HogQLSplitReader reader = reader(source, new HogQLSourceMetrics())) {
            assertThat(records(reader.fetch())).hasSize(3);
            CompletableFuture<RecordsWithSplitIds<HogQLRecord>> waiting =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return reader.fetch();
                                } catch (IOException e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            reader.wakeUp();
            assertThat(records(waiting.get(10, TimeUnit.SECONDS))).isEmpty();
        }
    }

    @Test
    void closingCancelsARunningAsyncQuery() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService stuck = Executors.newSingleThreadExecutor();
        stuck.submit(
                () -> {
                    release.await();
                    return null;
                });
        try (PostHogServer slow = PostHogServer.builder().queryExecutor(stuck).build().start()) {
            PostHogClientConfig config =
                    PostHogClientConfig.builder()
                            .host(slow.baseUrl())
                            .personalApiKey(slow.personalApiKey())
                            .projectId(slow.projectId())
                            .build();
            HogQLSource<String> source =
                    builder(config)
                            .asyncExecution(true)
                            .asyncStatusInterval(Duration.ofMillis(10))
                            .build();
            HogQLSplitReader reader = reader(source, new HogQLSourceMetrics());
            reader.wakeUp(); // the fetch starts the query, then returns at once
            assertThat(records(reader.fetch())).isEmpty();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> slow.requests().stream().anyMatch(r -> r.method().equals("GET")));

            reader.close();

            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () ->
                                    slow.requests().stream()
                                            .anyMatch(r -> r.method().equals("DELETE")));
        } finally {
            release.countDown();
            stuck.shutdownNow();
        }
    }
}
