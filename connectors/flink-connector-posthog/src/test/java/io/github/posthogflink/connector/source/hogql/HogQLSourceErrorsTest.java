package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.query.HogQLQuery;
import io.github.posthogflink.testkit.PostHogTestServer;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.types.Row;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** HogQL errors and schema mismatches fail the job at its start with a clear message. */
class HogQLSourceErrorsTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private static final String BAD_QUERY = "SELECT distinct_id FROM events WHERE LIMIT 10";

    @BeforeAll
    static void seed() {
        HogQLTestSupport.seedEvents(posthog, 5, 1, 3);
    }

    private static String serverDetail() {
        try (PostHogClient client = PostHogClient.create(HogQLTestSupport.config(posthog))) {
            PostHogException e =
                    (PostHogException)
                            catchThrowable(
                                    () ->
                                            PostHogClient.await(
                                                    client.query()
                                                            .query(
                                                                    HogQLQuery.hogql(BAD_QUERY),
                                                                    null)));
            assertThat(e.code()).isEqualTo("hogql_syntax_error");
            return e.detail();
        }
    }

    @Test
    void aSyntaxErrorFailsTheJobWithTheServersDetail() {
        String detail = serverDetail();
        HogQLSource<String> source =
                HogQLSource.<String>builder()
                        .client(HogQLTestSupport.config(posthog))
                        .snapshot(BAD_QUERY)
                        .deserializer(HogQLRowDeserializer.mapping(row -> "x", Types.STRING))
                        .build();

        Throwable failure = jobFailure(source);

        assertThat(ExceptionUtils.findThrowableWithMessage(failure, detail)).isPresent();
        assertThat(ExceptionUtils.findThrowable(failure, PostHogException.class))
                .hasValueSatisfying(e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void aSchemaLearnedAtBuildTimeFailsTheBuildOnASyntaxError() {
        String detail = serverDetail();
        assertThatThrownBy(
                        () ->
                                HogQLSource.<Row>builder()
                                        .client(HogQLTestSupport.config(posthog))
                                        .snapshot(BAD_QUERY)
                                        .deserializer(HogQLRowDeserializer.row())
                                        .build())
                .isInstanceOf(PostHogException.class)
                .hasMessageContaining(detail);
    }

    @Test
    void aDeclaredTypeThatDoesNotFitFailsTheJobNamingTheColumnAndBothTypes() {
        HogQLSource<Row> source =
                HogQLSource.<Row>builder()
                        .client(HogQLTestSupport.config(posthog))
                        .snapshot(
                                "SELECT distinct_id, count() AS n FROM events GROUP BY distinct_id"
                                        + " LIMIT 10")
                        .bounded(true)
                        .deserializer(
                                HogQLRowDeserializer.row(
                                        new RowTypeInfo(
                                                new TypeInformation<?>[] {Types.LONG, Types.LONG},
                                                new String[] {"distinct_id", "n"})))
                        .build();

        Throwable failure = jobFailure(source);

        assertThat(ExceptionUtils.findThrowable(failure, HogQLSchemaMismatchException.class))
                .hasValueSatisfying(
                        e ->
                                assertThat(e)
                                        .hasMessage(
                                                "Column 'distinct_id' is declared as Long but"
                                                        + " PostHog returns String"));
    }

    @Test
    void aDeclaredColumnMissingFromTheResultIsNamed() {
        HogQLSource<Row> source =
                HogQLSource.<Row>builder()
                        .client(HogQLTestSupport.config(posthog))
                        .snapshot("SELECT distinct_id FROM events LIMIT 10")
                        .bounded(true)
                        .deserializer(
                                HogQLRowDeserializer.row(
                                        new RowTypeInfo(
                                                new TypeInformation<?>[] {Types.STRING},
                                                new String[] {"person"})))
                        .build();

        Throwable failure = jobFailure(source);

        assertThat(ExceptionUtils.findThrowable(failure, HogQLSchemaMismatchException.class))
                .hasValueSatisfying(
                        e ->
                                assertThat(e)
                                        .hasMessage(
                                                "Column 'person' is declared but not in the HogQL"
                                                    + " result, whose columns are [distinct_id]"));
    }

    /**
     * Runs the source into a discarding sink and returns what {@code execute()} threw: the job's
     * own failure (a collecting iterator may end with its fetch's error instead).
     */
    private static <T> Throwable jobFailure(HogQLSource<T> source) {
        StreamExecutionEnvironment env = HogQLTestSupport.environment(0, 0);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "q")
                .sinkTo(new DiscardingSink<>());
        return catchThrowable(() -> env.execute("failing HogQL source"));
    }
}
