package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.testkit.PostHogTestServer;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bounded mode on a local cluster: an incremental range and one snapshot, then finished. */
class HogQLBoundedSourceTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    @Test
    void boundedIncrementalReadsEachEventOnceAcrossTiedPageBoundariesThenFinishes()
            throws Exception {
        List<String> seeded = HogQLTestSupport.seedEvents(posthog, 2_000, 7, 1);
        // An event after the job's start time (the source's clock) is outside the bounded range.
        Instant jobStart = HogQLTestSupport.BASE.plusSeconds(100_000);
        HogQLTestSupport.capture(
                posthog,
                List.of(HogQLTestSupport.event("late", jobStart.plusSeconds(1), Map.of())));

        HogQLSource<String> source =
                HogQLSource.<String>builder()
                        .client(HogQLTestSupport.config(posthog))
                        .incremental("uuid, timestamp, event", "events")
                        .pageSize(100)
                        .bounded(true)
                        .clock(Clock.fixed(jobStart, ZoneOffset.UTC))
                        .deserializer(
                                HogQLRowDeserializer.mapping(
                                        row -> (String) row.value("uuid"), Types.STRING))
                        .build();

        List<String> read =
                HogQLTestSupport.environment(0, 0)
                        .fromSource(source, WatermarkStrategy.noWatermarks(), "hogql")
                        .executeAndCollect(10_000);

        assertThat(read).hasSize(seeded.size()).containsExactlyInAnyOrderElementsOf(seeded);
        // 2,000 rows in pages of 100: 20 full pages and one empty one; never an OFFSET.
        assertThat(HogQLTestSupport.queryRequests(posthog))
                .hasSize(21)
                .allSatisfy(r -> assertThat(r.bodyText()).doesNotContainIgnoringCase("offset"));
    }

    @Test
    void incrementalRowsCarryTheirTimestampAsEventTime() throws Exception {
        HogQLTestSupport.seedEvents(posthog, 50, 3, 4);
        HogQLSource<String> source =
                HogQLSource.<String>builder()
                        .client(HogQLTestSupport.config(posthog))
                        .incremental("uuid, timestamp", "events")
                        .pageSize(20)
                        .bounded(true)
                        .deserializer(
                                HogQLRowDeserializer.mapping(
                                        row -> (String) row.value("timestamp"), Types.STRING))
                        .build();

        List<String> read =
                HogQLTestSupport.environment(0, 0)
                        .fromSource(
                                source,
                                WatermarkStrategy.<String>forMonotonousTimestamps(),
                                "hogql")
                        .process(
                                new ProcessFunction<String, String>() {
                                    @Override
                                    public void processElement(
                                            String ts, Context ctx, Collector<String> out) {
                                        out.collect(ts + "@" + ctx.timestamp());
                                    }
                                })
                        .executeAndCollect(100);

        assertThat(read)
                .hasSize(50)
                .allSatisfy(
                        s -> {
                            String[] parts = s.split("@");
                            assertThat(Instant.parse(parts[0]).toEpochMilli())
                                    .isEqualTo(Long.parseLong(parts[1]));
                        });
    }

    @Test
    void boundedSnapshotEmitsOneVersionOfRowsThenFinishes() throws Exception {
        HogQLTestSupport.seedEvents(posthog, 30, 1, 2);

        HogQLSource<Row> source =
                HogQLSource.<Row>builder()
                        .client(HogQLTestSupport.config(posthog))
                        .snapshot(
                                "SELECT distinct_id, count() AS n FROM events"
                                        + " GROUP BY distinct_id ORDER BY distinct_id LIMIT 1000")
                        .bounded(true)
                        .deserializer(HogQLRowDeserializer.row())
                        .build();

        List<Row> rows =
                HogQLTestSupport.environment(0, 0)
                        .fromSource(source, WatermarkStrategy.noWatermarks(), "hogql")
                        .executeAndCollect(1000);

        assertThat(source.getProducedType().toString()).contains("distinct_id", "n");
        assertThat(rows).hasSize(30);
        assertThat(rows.get(0).getField("distinct_id")).isEqualTo("user-0");
        assertThat(rows.get(0).getField("n")).isEqualTo(1L);
    }

    /** A Flink POJO: public, a no-argument constructor, public fields. */
    public static class UserActivity {
        public String distinctId;
        public long earlierEvents;
        public Instant lastSeen;

        public UserActivity() {}
    }

    @Test
    void boundedSnapshotRowsBecomePojosByColumnName() throws Exception {
        HogQLTestSupport.seedEvents(posthog, 30, 1, 2);

        HogQLSource<UserActivity> source =
                HogQLSource.<UserActivity>builder()
                        .client(HogQLTestSupport.config(posthog))
                        .snapshot(
                                "SELECT distinct_id, count() AS earlier_events, max(timestamp) AS"
                                        + " lastSeen FROM events GROUP BY distinct_id"
                                        + " ORDER BY distinct_id LIMIT 1000")
                        .bounded(true)
                        .deserializer(HogQLRowDeserializer.pojo(UserActivity.class))
                        .build();

        List<UserActivity> rows =
                HogQLTestSupport.environment(0, 0)
                        .fromSource(source, WatermarkStrategy.noWatermarks(), "hogql")
                        .executeAndCollect(1000);

        assertThat(source.getProducedType().getTypeClass()).isEqualTo(UserActivity.class);
        assertThat(rows).hasSize(30);
        UserActivity first = rows.get(0);
        assertThat(first.distinctId).isEqualTo("user-0");
        assertThat(first.earlierEvents).isEqualTo(1L);
        assertThat(first.lastSeen).isAfterOrEqualTo(HogQLTestSupport.BASE);
    }
}
