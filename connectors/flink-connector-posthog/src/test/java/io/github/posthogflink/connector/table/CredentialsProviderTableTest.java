package io.github.posthogflink.connector.table;

import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.EnvironmentVariables;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code credentials.provider} ENV and FILE: the keys are read by the tasks, so they are in no DDL,
 * {@code SHOW CREATE TABLE} or compiled plan, and the tables work end to end.
 */
class CredentialsProviderTableTest {
    /** A variable no environment has. */
    private static final String UNSET = "POSTHOG_FLINK_TEST_UNSET_VARIABLE_91c2";

    private static final String INSERT =
            "INSERT INTO ph VALUES ('signed up', 'user-1'), ('signed up', 'user-2')";

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    @TempDir Path dir;

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    @Test
    void envProviderDeliversAndNoKeyIsInTheCatalogOrThePlan() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(sinkTable("'credentials.provider' = 'ENV'"));
        try (EnvironmentVariables vars =
                EnvironmentVariables.set(
                        Map.of("POSTHOG_PROJECT_API_KEY", posthog.projectApiKey()))) {
            String plan = env.compilePlanSql(INSERT).asJsonString();
            String ddl = showCreateTable(env);

            env.executeSql(INSERT).await();

            assertThat(plan)
                    .contains("credentials.provider")
                    .doesNotContain(posthog.projectApiKey());
            assertThat(ddl).contains("'credentials.provider' = 'ENV'");
            assertThat(ddl).doesNotContain(posthog.projectApiKey());
        }
        assertThat(posthog.events())
                .extracting(CapturedEvent::distinctId)
                .containsExactlyInAnyOrder("user-1", "user-2");
    }

    @Test
    void anInlineKeyIsInThePlanWhichIsWhatTheProvidersAvoid() {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(sinkTable("'project-api-key' = '" + posthog.projectApiKey() + "'"));
        assertThat(env.compilePlanSql(INSERT).asJsonString()).contains(posthog.projectApiKey());
        assertThat(showCreateTable(env)).contains(posthog.projectApiKey());
    }

    @Test
    void variableNamesAreOptions() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                sinkTable(
                        "'credentials.provider' = 'env', 'credentials.env.project-api-key' ="
                                + " 'MY_POSTHOG_KEY'"));
        try (EnvironmentVariables vars =
                EnvironmentVariables.set(Map.of("MY_POSTHOG_KEY", posthog.projectApiKey()))) {
            env.executeSql(INSERT).await();
        }
        assertThat(posthog.events()).hasSize(2);
    }

    @Test
    void aMissingVariableFailsTheJobNamingTheVariable() {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                sinkTable(
                        "'credentials.provider' = 'ENV', 'credentials.env.project-api-key' = '"
                                + UNSET
                                + "'"));

        Throwable error = catchThrowable(() -> env.executeSql(INSERT).await());

        assertThat(error).isNotNull();
        assertThat(ExceptionUtils.stringifyException(error))
                .contains(
                        "No PostHog project API key: environment variable "
                                + UNSET
                                + " is not set");
        assertThat(posthog.events()).isEmpty();
    }

    @Test
    void fileProviderServesTheQueryTable() throws Exception {
        Path keys = dir.resolve("posthog.json");
        Files.writeString(keys, "{\"personal-api-key\": \"" + posthog.personalApiKey() + "\"}");
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE q (n INT) WITH ('connector' = 'posthog-hogql', 'host' = '"
                        + posthog.baseUrl()
                        + "', 'project-id' = '"
                        + posthog.projectId()
                        + "', 'credentials.provider' = 'FILE', 'credentials.file.path' = '"
                        + keys
                        + "', 'hogql.query' = 'SELECT 1 AS n', 'hogql.bounded' = 'true')");

        env.executeSql("CREATE TABLE sink_q (n INT) WITH ('connector' = 'blackhole')");
        assertThat(env.compilePlanSql("INSERT INTO sink_q SELECT n FROM q").asJsonString())
                .contains("credentials.file.path")
                .doesNotContain(posthog.personalApiKey());
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.executeSql("SELECT n FROM q").collect()) {
            it.forEachRemaining(rows::add);
        }
        assertThat(rows).extracting(r -> r.getField(0)).containsExactly(1);
    }

    @Test
    void providerOptionsAreValidated() {
        assertThat(sinkError("'credentials.provider' = 'ENV', 'project-api-key' = 'phc_x'"))
                .contains("'project-api-key' cannot be combined with 'credentials.provider'");
        assertThat(sinkError("'credentials.provider' = 'FILE'"))
                .contains("'credentials.file.path' is required");
        assertThat(sinkError("'credentials.provider' = 'vault'"))
                .contains("credentials.provider", "INLINE", "ENV", "FILE");
        assertThat(sinkError("'host' = 'https://eu.i.posthog.com'"))
                .contains("Missing required options", "project-api-key", "credentials.provider");
    }

    private static String sinkTable(String options) {
        return "CREATE TABLE ph (event STRING, distinct_id STRING) WITH ('connector' = 'posthog',"
                + " 'host' = '"
                + posthog.baseUrl()
                + "', 'sink.flush-buffer.timeout' = '50ms', "
                + options
                + ")";
    }

    private static String showCreateTable(TableEnvironment env) {
        try (CloseableIterator<Row> it = env.executeSql("SHOW CREATE TABLE ph").collect()) {
            return String.valueOf(it.next().getField(0));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sinkError(String options) {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(sinkTable(options));
        Throwable error = catchThrowable(() -> env.explainSql(INSERT));
        assertThat(error).isNotNull();
        return ExceptionUtils.stringifyException(error);
    }
}
