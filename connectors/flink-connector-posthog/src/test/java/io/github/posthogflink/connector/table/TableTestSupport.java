package io.github.posthogflink.connector.table;

import io.github.posthogflink.testkit.PostHogTestServer;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

/** Shared pieces of the SQL connector tests. */
final class TableTestSupport {
    private TableTestSupport() {}

    static TableEnvironment streamingTableEnv() {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("parallelism.default", "1");
        return env;
    }

    /** WITH options of a sink table against the testkit, without the closing parenthesis. */
    static String sinkOptions(PostHogTestServer posthog) {
        return "'connector' = 'posthog', 'host' = '"
                + posthog.baseUrl()
                + "', 'project-api-key' = '"
                + posthog.projectApiKey()
                + "', 'sink.flush-buffer.timeout' = '50ms'";
    }

    /** WITH options of a persons table against the testkit, without the closing parenthesis. */
    static String personsOptions(PostHogTestServer posthog) {
        return personalKeyOptions(posthog, "posthog-persons");
    }

    /**
     * WITH options of a {@code connector} table reading with the personal key against the testkit,
     * without the closing parenthesis.
     */
    static String personalKeyOptions(PostHogTestServer posthog, String connector) {
        return "'connector' = '"
                + connector
                + "', 'host' = '"
                + posthog.baseUrl()
                + "', 'personal-api-key' = '"
                + posthog.personalApiKey()
                + "', 'project-id' = '"
                + posthog.projectId()
                + "'";
    }
}
