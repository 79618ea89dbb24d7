package io.github.posthogflink.testkit;

import io.github.posthogflink.testkit.http.HttpTransport;

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
        int journalCapacity,
        long journalMaxBytes,
        int maxRequestBodyBytes,
        int workerThreads) {
    static final String DEFAULT_HOST = "127.0.0.1";
    static final String DEFAULT_PROJECT_API_KEY = "phc_testkit_project_api_key";
    static final String DEFAULT_PERSONAL_API_KEY = "phx_testkit_personal_api_key";
    static final String DEFAULT_SECURE_FLAGS_KEY = "phs_testkit_secure_flags_key";
    static final int DEFAULT_JOURNAL_CAPACITY = 100_000;
    static final long DEFAULT_JOURNAL_MAX_BYTES = 64L * 1024 * 1024;

    /** The transport's settings. */
    HttpTransport.Settings transport() {
        return new HttpTransport.Settings(host, port, maxRequestBodyBytes, workerThreads);
    }

    @Override
    public String toString() {
        return "TestkitConfig[" + host + ":" + port + ", project " + projectId + "]";
    }
}
