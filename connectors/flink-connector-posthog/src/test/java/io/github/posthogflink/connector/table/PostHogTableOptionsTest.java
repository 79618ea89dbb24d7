package io.github.posthogflink.connector.table;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Option and schema validation of the PostHog tables, as the planner reports it. */
class PostHogTableOptionsTest {
    private static final String PROJECT_KEY = "phc_SECRETprojectkey0123456789";
    private static final String PERSONAL_KEY = "phx_SECRETpersonalkey0123456789";
    private static final String SINK_COLUMNS = "event STRING, distinct_id STRING";

    @Test
    void unknownOptionIsNamed() {
        String error =
                sinkError(
                        SINK_COLUMNS,
                        "'project-api-key' = '" + PROJECT_KEY + "'",
                        "'sink.batch-size' = '10'");
        assertThat(error).contains("Unsupported options", "sink.batch-size");
    }

    @Test
    void missingProjectKeyIsNamed() {
        String error = sinkError(SINK_COLUMNS, "'host' = 'https://eu.i.posthog.com'");
        assertThat(error).contains("Missing required options", "project-api-key");
    }

    @Test
    void badHostIsExplained() {
        String error =
                sinkError(
                        SINK_COLUMNS,
                        "'project-api-key' = '" + PROJECT_KEY + "'",
                        "'host' = 'ftp://eu.i.posthog.com'");
        assertThat(error).contains("Option 'host' is not a valid PostHog host");
    }

    @Test
    void personalKeyAsProjectKeyIsRefusedWithoutShowingIt() {
        String error = sinkError(SINK_COLUMNS, "'project-api-key' = '" + PERSONAL_KEY + "'");
        assertThat(error).contains("'project-api-key' must hold a project API key (phc_...)");
    }

    @Test
    void badEnumAndBufferSizesAreRefused() {
        String handling =
                sinkError(
                        SINK_COLUMNS,
                        "'project-api-key' = '" + PROJECT_KEY + "'",
                        "'sink.error-handling' = 'drop'");
        assertThat(handling).contains("sink.error-handling", "LOG_AND_CONTINUE");
        String buffers =
                sinkError(
                        SINK_COLUMNS,
                        "'project-api-key' = '" + PROJECT_KEY + "'",
                        "'sink.batch.max-size' = '500'",
                        "'sink.requests.max-buffered' = '100'");
        assertThat(buffers).contains("'sink.requests.max-buffered' must be greater than");
    }

    @Test
    void sinkColumnsAreChecked() {
        assertThat(
                        sinkError(
                                "event STRING, person STRING",
                                "'project-api-key' = '" + PROJECT_KEY + "'"))
                .contains("does not know column 'person'");
        assertThat(
                        sinkError(
                                "event STRING, properties STRING",
                                "'project-api-key' = '" + PROJECT_KEY + "'"))
                .contains("needs a column 'distinct_id'");
        assertThat(
                        sinkError(
                                "event STRING, distinct_id STRING, `timestamp` INT",
                                "'project-api-key' = '" + PROJECT_KEY + "'"))
                .contains("Column 'timestamp'", "TIMESTAMP_LTZ");
    }

    @Test
    void personsNeedsProjectIdAndItsKeyColumn() {
        assertThat(
                        personsError(
                                "distinct_id STRING, id STRING",
                                "'personal-api-key' = '" + PERSONAL_KEY + "'"))
                .contains("Missing required options", "project-id");
        assertThat(
                        personsError(
                                "id STRING",
                                "'personal-api-key' = '" + PERSONAL_KEY + "'",
                                "'project-id' = '1'"))
                .contains("needs the lookup key column 'distinct_id'");
        assertThat(
                        personsError(
                                "distinct_id STRING, id STRING",
                                "'personal-api-key' = '" + PERSONAL_KEY + "'",
                                "'project-id' = '1'",
                                "'persons.lookup-by' = 'property'"))
                .contains("'persons.property' is required");
        assertThat(
                        personsError(
                                "distinct_id STRING",
                                "'personal-api-key' = '" + PERSONAL_KEY + "'",
                                "'project-id' = '1'",
                                "'lookup.cache' = 'FULL'"))
                .contains("NONE or PARTIAL");
        assertThat(
                        personsError(
                                "distinct_id STRING",
                                "'personal-api-key' = '" + PERSONAL_KEY + "'",
                                "'project-id' = 'abc'"))
                .contains("'project-id' must be a numeric project id");
    }

    @Test
    void personsJoinsOnlyOnTheKeyColumn() {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE persons (distinct_id STRING, id STRING) WITH ('connector' ="
                        + " 'posthog-persons', 'personal-api-key' = '"
                        + PERSONAL_KEY
                        + "', 'project-id' = '1')");
        env.executeSql(
                "CREATE TEMPORARY VIEW e AS SELECT x, PROCTIME() AS pt FROM (VALUES ('a')) AS"
                        + " t(x)");
        Throwable error =
                catchThrowable(
                        () ->
                                env.explainSql(
                                        "SELECT * FROM e JOIN persons FOR SYSTEM_TIME AS OF e.pt"
                                                + " AS p ON e.x = p.id"));
        String text = ExceptionUtils.stringifyException(error);
        assertThat(text).contains("can only be joined on its column 'distinct_id'");
        assertThat(text).doesNotContain(PERSONAL_KEY);
    }

    private static String sinkError(String columns, String... options) {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE ph ("
                        + columns
                        + ") WITH ('connector' = 'posthog', "
                        + String.join(", ", options)
                        + ")");
        env.executeSql(
                "CREATE TEMPORARY TABLE src WITH ('connector' = 'datagen') LIKE ph (EXCLUDING"
                        + " OPTIONS)");
        Throwable error = catchThrowable(() -> env.explainSql("INSERT INTO ph SELECT * FROM src"));
        return noKeys(error);
    }

    private static String personsError(String columns, String... options) {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE persons ("
                        + columns
                        + ") WITH ('connector' = 'posthog-persons', "
                        + String.join(", ", options)
                        + ")");
        String first = columns.substring(0, columns.indexOf(' '));
        env.executeSql(
                "CREATE TEMPORARY VIEW e AS SELECT x, PROCTIME() AS pt FROM (VALUES ('a')) AS"
                        + " t(x)");
        Throwable error =
                catchThrowable(
                        () ->
                                env.explainSql(
                                        "SELECT * FROM e JOIN persons FOR SYSTEM_TIME AS OF e.pt"
                                                + " AS p ON e.x = p."
                                                + first));
        return noKeys(error);
    }

    /** The whole exception chain, checked to hold no key. */
    private static String noKeys(Throwable error) {
        assertThat(error).isNotNull();
        String text = ExceptionUtils.stringifyException(error);
        assertThat(text).doesNotContain(PROJECT_KEY).doesNotContain(PERSONAL_KEY);
        return text;
    }
}
