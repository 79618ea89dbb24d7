package io.github.posthogflink.testkit;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/** The server's settings, from {@link PostHogTestServer.Builder}. */
record TestkitConfig(
        String host,
        int port,
        String projectApiKey,
        String personalApiKey,
        String secureFlagsKey,
        long projectId,
        Clock clock,
        boolean rateLimits,
        Map<Integer, String> groupTypeMapping,
        ExecutorService queryExecutor,
        int journalCapacity) {

    @Override
    public String toString() {
        return "TestkitConfig[" + host + ":" + port + ", project " + projectId + "]";
    }
}
