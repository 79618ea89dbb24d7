package io.github.posthogflink.client.testing;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.client.ratelimit.RateLimitPolicy;

import java.time.Duration;

/** Client configurations pointed at a {@link RecordingServer}, with recognisable test keys. */
public final class TestClients {
    public static final String PROJECT_KEY = "phc_SECRETproject123";
    public static final String PERSONAL_KEY = "phx_SECRETpersonal456";
    public static final String PROJECT_ID = "42";
    public static final String PROJECT_PATH = "/api/projects/42/";

    /**
     * Fast retries (a few milliseconds apart) and at most 200 ms of waiting on 429s, so retry tests
     * stay quick.
     */
    public static final RetryPolicy FAST_RETRIES =
            RetryPolicy.DEFAULT
                    .withBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
                    .withMaxThrottleWait(Duration.ofMillis(200));

    private TestClients() {}

    /**
     * Both hosts on the server, both keys, project 42, fast retries, no client-side rate limits.
     */
    public static PostHogClientConfig.Builder config(RecordingServer server) {
        return PostHogClientConfig.builder()
                .host(server.url())
                .projectApiKey(PROJECT_KEY)
                .personalApiKey(PERSONAL_KEY)
                .projectId(PROJECT_ID)
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(5))
                .retryPolicy(FAST_RETRIES)
                .rateLimitPolicy(RateLimitPolicy.disabled());
    }
}
