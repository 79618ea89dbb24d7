package io.github.posthogflink.connector.table;

import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;

import org.apache.flink.table.api.ExplainDetail;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The sink's retry limits, enum spellings and the HogQL source's parallelism, in SQL. */
class SqlOptionsTest {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.withSlots(4);

    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    @Test
    @Timeout(120)
    void sinkMaxRetriesBoundsTheAttemptsOfAFailingBatch() {
        posthog.faults().add(FaultRule.matching(RouteMatcher.capture()).status(503).always());
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                sinkTable(
                        "'sink.max-retries' = '2', 'sink.retry.backoff.initial' = '10ms',"
                                + " 'sink.retry.backoff.max' = '20ms'"));

        Throwable error = catchThrowable(() -> env.executeSql(oneRow()).await());

        assertThat(error).isNotNull();
        assertThat(captureRequests()).as("the first attempt and 2 retries").isEqualTo(3);
    }

    @Test
    @Timeout(120)
    void sinkDeliveryTimeoutEndsRetriesWithoutALimitOnTheirNumber() {
        posthog.faults().add(FaultRule.matching(RouteMatcher.capture()).status(503).always());
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                sinkTable(
                        "'sink.delivery-timeout' = '1s', 'sink.retry.backoff.initial' = '50ms',"
                                + " 'sink.retry.backoff.max' = '100ms'"));

        Throwable error = catchThrowable(() -> env.executeSql(oneRow()).await());

        assertThat(error).isNotNull();
        assertThat(ExceptionUtils.stringifyException(error))
                .contains("the delivery timeout of 1.0 s is exhausted");
        assertThat(captureRequests()).isGreaterThan(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"LOG_AND_CONTINUE", "log_and_continue", "log-and-continue"})
    void errorHandlingTakesFlinksSpellingAndTheOldOne(String spelling) throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE ph (event STRING, distinct_id STRING, properties STRING) WITH ("
                        + TableTestSupport.sinkOptions(posthog)
                        + ", 'sink.error-handling' = '"
                        + spelling
                        + "')");
        env.executeSql(
                        "INSERT INTO ph VALUES ('bad', 'u1', '{not json'), ('good', 'u2',"
                                + " '{\"k\": 1}')")
                .await();

        assertThat(posthog.events()).extracting(CapturedEvent::event).containsExactly("good");
    }

    @ParameterizedTest
    @ValueSource(strings = {"DISTINCT_ID", "distinct-id", "distinct_id"})
    void personsLookupByTakesFlinksSpellingAndTheOldOne(String spelling) {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE persons (distinct_id STRING, id STRING) WITH ("
                        + TableTestSupport.personsOptions(posthog)
                        + ", 'persons.lookup-by' = '"
                        + spelling
                        + "')");
        env.executeSql(
                "CREATE TEMPORARY VIEW e AS SELECT x, PROCTIME() AS pt FROM (VALUES ('a')) AS"
                        + " t(x)");
        assertThat(
                        env.explainSql(
                                "SELECT e.x, p.id FROM e LEFT JOIN persons FOR SYSTEM_TIME AS OF"
                                        + " e.pt AS p ON e.x = p.distinct_id"))
                .contains("LookupJoin");
        Throwable bad =
                catchThrowable(
                        () -> {
                            env.executeSql(
                                    "CREATE TABLE p2 (email STRING, id STRING) WITH ("
                                            + TableTestSupport.personsOptions(posthog)
                                            + ", 'persons.lookup-by' = 'mail')");
                            env.explainSql(
                                    "SELECT e.x, p.id FROM e LEFT JOIN p2 FOR SYSTEM_TIME AS OF"
                                            + " e.pt AS p ON e.x = p.email");
                        });
        assertThat(ExceptionUtils.stringifyException(bad))
                .contains("persons.lookup-by", "DISTINCT_ID, EMAIL, PROPERTY", "'mail'");
    }

    @Test
    void hogqlSourceRunsOneReaderUnlessScanParallelismSaysOtherwise() {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.getConfig().set("parallelism.default", "4");
        env.executeSql(hogqlTable("q1", ""));
        env.executeSql(hogqlTable("q2", ", 'scan.parallelism' = '2'"));
        env.executeSql("CREATE TABLE out1 (n INT) WITH ('connector' = 'blackhole')");
        env.executeSql("CREATE TABLE out2 (n INT) WITH ('connector' = 'blackhole')");

        assertThat(sourceParallelism(env, "INSERT INTO out1 SELECT n FROM q1")).isEqualTo(1);
        assertThat(sourceParallelism(env, "INSERT INTO out2 SELECT n FROM q2")).isEqualTo(2);
        assertThat(
                        ExceptionUtils.stringifyException(
                                catchThrowable(
                                        () -> {
                                            env.executeSql(
                                                    hogqlTable("q3", ", 'scan.parallelism' = '0'"));
                                            env.explainSql("INSERT INTO out1 SELECT n FROM q3");
                                        })))
                .contains("'scan.parallelism' must be >= 1");
    }

    private static int sourceParallelism(TableEnvironment env, String insert) {
        String plan = env.explainSql(insert, ExplainDetail.JSON_EXECUTION_PLAN);
        // The JSON execution plan lists nodes in order, the source first.
        Matcher m = Pattern.compile("\"parallelism\"\\s*:\\s*(\\d+)").matcher(plan);
        assertThat(m.find()).as(plan).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String hogqlTable(String name, String options) {
        return "CREATE TABLE "
                + name
                + " (n INT) WITH ('connector' = 'posthog-hogql', 'host' = '"
                + posthog.baseUrl()
                + "', 'personal-api-key' = '"
                + posthog.personalApiKey()
                + "', 'project-id' = '"
                + posthog.projectId()
                + "', 'hogql.query' = 'SELECT 1 AS n', 'hogql.bounded' = 'true'"
                + options
                + ")";
    }

    private static String sinkTable(String options) {
        return "CREATE TABLE ph (event STRING, distinct_id STRING) WITH ("
                + TableTestSupport.sinkOptions(posthog)
                + ", "
                + options
                + ")";
    }

    private static String oneRow() {
        return "INSERT INTO ph VALUES ('signed up', 'user-1')";
    }

    private static long captureRequests() {
        return posthog.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().startsWith("/batch"))
                .count();
    }
}
