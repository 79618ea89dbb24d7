package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.client.ratelimit.RateLimitPolicy;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** Helpers for tests against the testkit. */
final class TestkitPersons {
    static final String BATCH_PATH_SUFFIX = "/persons/batch_by_distinct_ids/";

    private TestkitPersons() {}

    static PostHogClientConfig clientConfig(PostHogTestServer posthog) {
        return PostHogClientConfig.builder()
                .host(posthog.baseUrl())
                .apiHost(posthog.baseUrl())
                .personalApiKey(posthog.personalApiKey())
                .projectId(posthog.projectId())
                .retryPolicy(RetryPolicy.DEFAULT)
                .rateLimitPolicy(RateLimitPolicy.disabled())
                .build();
    }

    /** Recorded batch_by_distinct_ids requests. */
    static List<RecordedRequest> batchRequests(PostHogTestServer posthog) {
        return posthog.requests().stream()
                .filter(r -> r.path().endsWith(BATCH_PATH_SUFFIX))
                .toList();
    }

    /** The distinct ids asked for in one batch request. */
    static List<String> idsOf(RecordedRequest request) {
        JsonNode body = Json.tree(request.body());
        List<String> ids = new ArrayList<>();
        body.path("distinct_ids").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    /** Recorded persons list requests. */
    static List<RecordedRequest> listRequests(PostHogTestServer posthog) {
        return posthog.requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().endsWith("/persons/"))
                .toList();
    }
}
