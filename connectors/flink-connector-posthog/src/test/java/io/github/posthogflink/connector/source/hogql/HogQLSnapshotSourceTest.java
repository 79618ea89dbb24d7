package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.testkit.PostHogTestServer;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Snapshot mode, unbounded, on a local cluster: changes show up after the next poll. */
class HogQLSnapshotSourceTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private static final String COUNTS =
            "SELECT distinct_id, count() AS n FROM events GROUP BY distinct_id"
                    + " HAVING count() < 3 ORDER BY distinct_id LIMIT 1000";

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    private static void pageviews(String distinctId, int count) {
        HogQLTestSupport.capture(
                posthog,
                java.util.stream.IntStream.range(0, count)
                        .mapToObj(
                                i ->
                                        HogQLTestSupport.event(
                                                distinctId,
                                                HogQLTestSupport.BASE.plusSeconds(i),
                                                Map.of()))
                        .toList());
    }

    private static <T> JobClient start(HogQLSource<T> source, String sink) throws Exception {
        StreamExecutionEnvironment env = HogQLTestSupport.environment(0, 0);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "hogql")
                .sinkTo(new CollectSink<>(sink));
        return env.executeAsync(sink);
    }

    @Test
    void changelogEmitsInsertsThenUpdatesAndDeletesAfterTheNextPoll() throws Exception {
        pageviews("a", 1);
        pageviews("b", 1);
        HogQLSource<Row> source =
                HogQLSource.<Row>builder()
                        .client(HogQLTestSupport.config(posthog))
                        .snapshot(COUNTS)
                        .changelogKey("distinct_id")
                        .pollInterval(Duration.ofMillis(200))
                        .deserializer(
                                HogQLRowDeserializer.row(
                                        new RowTypeInfo(
                                                new TypeInformation<?>[] {Types.STRING, Types.LONG},
                                                new String[] {"distinct_id", "n"})))
                        .build();

        JobClient job = start(source, "changelog");
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> CollectSink.<Row>collected("changelog").size() >= 2);
            assertThat(CollectSink.<Row>collected("changelog"))
                    .containsExactly(
                            Row.ofKind(RowKind.INSERT, "a", 1L),
                            Row.ofKind(RowKind.INSERT, "b", 1L));

            pageviews("a", 1); // a: 2 → changed
            pageviews("b", 2); // b: 3 → leaves the result
            pageviews("c", 1); // c: new

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> CollectSink.<Row>collected("changelog").size() >= 5);
        } finally {
            job.cancel().get();
        }
        List<Row> rows = CollectSink.collected("changelog");
        assertThat(rows.subList(2, rows.size()))
                .containsExactlyInAnyOrder(
                        Row.ofKind(RowKind.UPDATE_AFTER, "a", 2L),
                        Row.ofKind(RowKind.INSERT, "c", 1L),
                        Row.ofKind(RowKind.DELETE, "b", 1L));
        // Unchanged polls emit nothing.
        assertThat(rows).hasSize(5);
    }

    @Test
    void versionedSnapshotsCarryTheirVersionAndShowAChangedRowInTheNextVersion() throws Exception {
        pageviews("a", 1);
        pageviews("b", 1);
        HogQLSource<String> source =
                HogQLSource.<String>builder()
                        .client(HogQLTestSupport.config(posthog))
                        .snapshot(COUNTS)
                        .pollInterval(Duration.ofMillis(200))
                        .deserializer(
                                HogQLRowDeserializer.mapping(
                                        row ->
                                                row.version()
                                                        + ":"
                                                        + row.index()
                                                        + "/"
                                                        + row.count()
                                                        + ":"
                                                        + row.value("distinct_id")
                                                        + "="
                                                        + row.value("n"),
                                        Types.STRING))
                        .build();

        JobClient job = start(source, "versioned");
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> CollectSink.<String>collected("versioned").contains("1:1/2:b=1"));
            pageviews("a", 1);
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    CollectSink.<String>collected("versioned").stream()
                                            .anyMatch(s -> s.endsWith(":0/2:a=2")));
        } finally {
            job.cancel().get();
        }
        List<String> rows = CollectSink.collected("versioned");
        assertThat(rows).startsWith("1:0/2:a=1", "1:1/2:b=1");
        // Every version is complete: the rows of each poll come together, in order.
        for (int i = 0; i + 1 < rows.size(); i += 2) {
            String version = rows.get(i).substring(0, rows.get(i).indexOf(':'));
            assertThat(rows.get(i)).startsWith(version + ":0/2:a=");
            assertThat(rows.get(i + 1)).isEqualTo(version + ":1/2:b=1");
        }
    }
}
