package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A join with a query of any size: {@code pageSnapshotBy(key)} wraps the user's query as a subquery
 * and pages it by the key, never OFFSET, so no LIMIT is needed and no result is too large.
 */
class HogQLPagedJoinTest {
    /** More rows than PostHog returns in one response (MAX_SELECT_RETURNED_ROWS = 50,000). */
    static final int USERS = 50_100;

    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    @BeforeAll
    static void seed() {
        List<PostHogEvent> events = new ArrayList<>(USERS);
        for (int i = 0; i < USERS; i++) {
            events.add(
                    PostHogEvent.builder("signup", String.format("u-%05d", i))
                            .uuid(new UUID(7, i))
                            .timestamp(HogQLTestSupport.BASE.plusSeconds(i))
                            .property("plan", i % 3 == 0 ? "pro" : "free")
                            // no person per distinct id: keeps seeding 50,100 ids quick
                            .property("$process_person_profile", false)
                            .build());
        }
        HogQLTestSupport.capture(posthog, events);
    }

    private static HogQLSource<SnapshotRow<Row>> plans(String query, int pageSize) {
        return HogQLSource.<SnapshotRow<Row>>builder()
                .client(HogQLTestSupport.config(posthog))
                .snapshot(query)
                .pageSnapshotBy("distinct_id")
                .pageSize(pageSize)
                .bounded(true)
                .deserializer(
                        HogQLJoin.snapshotRows(
                                HogQLRowDeserializer.row(
                                        new RowTypeInfo(
                                                new TypeInformation<?>[] {
                                                    Types.STRING, Types.STRING
                                                },
                                                new String[] {"distinct_id", "plan"}))))
                .build();
    }

    @Test
    @Timeout(120)
    void aQueryWithoutLimitIsPagedByItsKeyAndJoinsEveryRow() throws Exception {
        String query =
                "SELECT distinct_id, min(properties.plan) AS plan FROM events"
                        + " WHERE distinct_id < 'u-05200' GROUP BY distinct_id";
        StreamExecutionEnvironment env = HogQLTestSupport.environment(0, 0);
        DataStream<String> events = env.fromData("u-00000", "u-00001", "u-05199", "u-05200");
        DataStream<String> joined =
                HogQLJoin.<String, Row, String, String>builder()
                        .events(events, e -> e)
                        .lookup(
                                plans(query, 1_000),
                                row -> (String) row.getField("distinct_id"),
                                Types.STRING)
                        .join((e, row) -> e + "=" + (row == null ? "none" : row.getField("plan")))
                        .outputType(Types.STRING)
                        .build();

        List<String> out = joined.executeAndCollect(10);

        assertThat(out)
                .containsExactlyInAnyOrder(
                        "u-00000=pro", "u-00001=free", "u-05199=pro", "u-05200=none");
        List<RecordedRequest> pages = pageRequests("u-05200");
        assertThat(pages).as("5,200 rows in pages of 1,000: 5 full and one short").hasSize(6);
        assertThat(pages.get(0).bodyText())
                .contains(
                        "SELECT * FROM (" + query + ") ORDER BY distinct_id LIMIT {phf_page_size}")
                .doesNotContain("phf_page_after\":");
        assertThat(pages.get(1).bodyText())
                .contains("WHERE distinct_id > {phf_page_after} ORDER BY distinct_id")
                .contains("\"phf_page_after\":\"u-00999\"");
        assertThat(pages).noneMatch(r -> r.bodyText().contains("OFFSET"));
    }

    @Test
    @Timeout(180)
    void aResultLargerThanOneResponseIsReadWhole() throws Exception {
        String query = "SELECT distinct_id, properties.plan AS plan FROM events";
        StreamExecutionEnvironment env = HogQLTestSupport.environment(0, 0);
        DataStream<SnapshotRow<Row>> rows =
                env.fromSource(
                        plans(query, HogQLSourceBuilder.MAX_PAGE_SIZE),
                        WatermarkStrategy.noWatermarks(),
                        "plans");

        List<SnapshotRow<Row>> snapshot = rows.executeAndCollect(USERS + 10);

        Set<Object> keys = new HashSet<>();
        snapshot.forEach(r -> keys.add(r.row.getField("distinct_id")));
        assertThat(keys).hasSize(USERS);
        assertThat(snapshot).allMatch(r -> r.version == 1 && r.count == USERS);
        assertThat(pageRequests("SELECT * FROM (" + query + ")"))
                .as("50,100 rows: a full page of 50,000, then one of 100")
                .hasSize(2);
    }

    private static List<RecordedRequest> pageRequests(String marker) {
        return HogQLTestSupport.queryRequests(posthog).stream()
                .filter(r -> r.bodyText().contains(marker))
                .toList();
    }
}
