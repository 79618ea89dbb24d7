package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;
import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.inspect.RecordedRequest;
import io.github.posthogflink.testkit.ratelimit.ThrottleScope;
import io.github.posthogflink.testkit.ratelimit.ThrottleScope.Rate;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A SQL lookup join under a scarce persons budget, on a scaled clock: PostHog's and the table's
 * budget are one request per 3 s (instead of a minute) and Flink's async lookup timeout 6 s
 * (instead of 3 min). Keys trickle in, one a second.
 */
class PersonsLookupBudgetTest {
    private static final int KEYS = 10;

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.withSlots(1);

    @RegisterExtension
    static PostHogTestServer posthog = PostHogTestServer.builder().rateLimits(true).build();

    @BeforeEach
    void seed() {
        posthog.reset();
        posthog.rateLimits().restoreDefaultRates();
        posthog.rateLimits()
                .setRates(ThrottleScope.CLICKHOUSE_BURST, new Rate(1, Duration.ofSeconds(3)));
        for (int i = 0; i < KEYS; i += 2) {
            posthog.seed().createPerson("user-" + i, Map.of("n", i));
        }
    }

    private TableEnvironment env(String lookupTimeout, String budgetWindows) {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.getConfig().set("table.exec.async-lookup.timeout", lookupTimeout);
        env.executeSql(
                "CREATE TABLE persons (distinct_id STRING, id STRING, properties MAP<STRING,"
                        + " STRING>) WITH ("
                        + TableTestSupport.personsOptions(posthog)
                        + ", 'persons.budget-windows' = '"
                        + budgetWindows
                        + "')");
        env.executeSql(
                "CREATE TABLE gen (seq INT, pt AS PROCTIME()) WITH ('connector' = 'datagen',"
                        + " 'rows-per-second' = '1', 'fields.seq.kind' = 'sequence',"
                        + " 'fields.seq.start' = '0', 'fields.seq.end' = '"
                        + (KEYS - 1)
                        + "')");
        return env;
    }

    @Test
    void aLookupJoinUnderWaitNeverOutwaitsFlinksTimeoutWhileBudgetIsScarce() throws Exception {
        TableEnvironment env = env("6 s", "1/3 s");

        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it =
                env.executeSql(
                                "SELECT g.seq, p.properties['n'] FROM gen AS g LEFT JOIN persons"
                                        + " FOR SYSTEM_TIME AS OF g.pt AS p ON 'user-' ||"
                                        + " CAST(g.seq AS STRING) = p.distinct_id")
                        .collect()) {
            it.forEachRemaining(rows::add);
        }

        assertThat(rows).hasSize(KEYS);
        for (Row row : rows) {
            int seq = (Integer) row.getField(0);
            assertThat(row.getField(1)).isEqualTo(seq % 2 == 0 ? "" + seq : null);
        }
        List<RecordedRequest> requests = batchRequests();
        // 10 keys over 10 s, one request per 3 s: each waits for the next permit in one batch,
        // not behind the batches of the keys before it (the last would wait 18 s).
        assertThat(requests).hasSizeBetween(3, 5);
        assertThat(requests).extracting(RecordedRequest::status).containsOnly(200);
    }

    @Test
    void waitWithAWindowLongerThanFlinksTimeoutIsRefusedWhenThePlanIsMade() {
        TableEnvironment env = env("3 min", "1200/1 h");

        assertThatThrownBy(
                        () ->
                                env.executeSql(
                                        "SELECT g.seq FROM gen AS g JOIN persons FOR SYSTEM_TIME AS"
                                                + " OF g.pt AS p ON CAST(g.seq AS STRING) ="
                                                + " p.distinct_id"))
                .hasStackTraceContaining("persons.budget-windows")
                .hasStackTraceContaining("table.exec.async-lookup.timeout")
                .satisfies(e -> assertThat(rootOrSelf(e, ValidationException.class)).isNotNull());
    }

    @Test
    void budgetWindowsAreParsedAndABadOneIsNamed() {
        assertThat(PersonsLookupTableFactory.budgetWindows("240/1 min; 1200 / 1 h"))
                .containsExactly(
                        new Window(240, Duration.ofMinutes(1)),
                        new Window(1200, Duration.ofHours(1)));
        for (String bad : new String[] {"", "240", "x/1 min", "0/1 min", "240/soon"}) {
            assertThatThrownBy(() -> PersonsLookupTableFactory.budgetWindows(bad))
                    .as(bad)
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("persons.budget-windows");
        }
    }

    private static Throwable rootOrSelf(Throwable e, Class<?> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    private static List<RecordedRequest> batchRequests() {
        return posthog.requests().stream()
                .filter(r -> r.path().endsWith("/persons/batch_by_distinct_ids/"))
                .toList();
    }
}
