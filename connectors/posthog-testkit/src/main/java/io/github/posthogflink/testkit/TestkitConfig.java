package io.github.posthogflink.testkit;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/** The server's settings, from {@link PostHogTestServer.Builder}. */
record TestkitConfig(
        String host,
        int port,
        String projectApiKey,
        String personalApiKey,
        List<String> personalApiKeyScopes,
        String secureFlagsKey,
        long projectId,
        Clock clock,
        boolean rateLimits,
        Map<Integer, String> groupTypeMapping,
        ExecutorService queryExecutor,
        int journalCapacity) {
    static final String DEFAULT_HOST = "127.0.0.1";
    static final String DEFAULT_PROJECT_API_KEY = "phc_testkit_project_api_key";
    static final String DEFAULT_PERSONAL_API_KEY = "phx_testkit_personal_api_key";
    static final String DEFAULT_SECURE_FLAGS_KEY = "phs_testkit_secure_flags_key";
    static final int DEFAULT_JOURNAL_CAPACITY = 100_000;

    @Override
    public String toString() {
        return "TestkitConfig[" + host + ":" + port + ", project " + projectId + "]";
    }
}
