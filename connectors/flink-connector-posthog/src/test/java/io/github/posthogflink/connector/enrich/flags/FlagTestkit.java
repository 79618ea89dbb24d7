package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/** Test flags created through the testkit's feature-flag CRUD, and request inspection helpers. */
final class FlagTestkit {
    static final ObjectMapper JSON = new ObjectMapper();

    static final String BETA_ROLLOUT =
            """
            {"key": "beta-rollout", "name": "Beta", "active": true,
             "filters": {"groups": [{"properties": [], "rollout_percentage": 50}]}}
            """;

    static final String CHECKOUT_VARIANT =
            """
            {"key": "checkout-variant", "name": "Checkout", "active": true,
             "filters": {
               "groups": [{"properties": [], "rollout_percentage": 100}],
               "multivariate": {"variants": [
                 {"key": "control", "rollout_percentage": 34},
                 {"key": "one-page", "rollout_percentage": 33},
                 {"key": "express", "rollout_percentage": 33}]},
               "payloads": {"control": "{\\"steps\\":3}", "one-page": "{\\"steps\\":1}",
                            "express": "{\\"steps\\":2}"}}}
            """;

    static final String PRO_USERS =
            """
            {"key": "pro-users", "name": "Pro", "active": true,
             "filters": {"groups": [{"properties": [
               {"key": "plan", "value": ["pro"], "operator": "exact", "type": "person"}],
               "rollout_percentage": 100}]}}
            """;

    static final String COMPANY_FLAG =
            """
            {"key": "company-flag", "name": "Company", "active": true,
             "filters": {"aggregation_group_type_index": 0,
               "groups": [{"properties": [], "rollout_percentage": 60}]}}
            """;

    static final String STICKY_FLAG =
            """
            {"key": "sticky-flag", "name": "Sticky", "active": true,
             "ensure_experience_continuity": true,
             "filters": {"groups": [{"properties": [], "rollout_percentage": 40}]}}
            """;

    static final List<String> ALL_FLAGS =
            List.of(BETA_ROLLOUT, CHECKOUT_VARIANT, PRO_USERS, COMPANY_FLAG, STICKY_FLAG);

    private FlagTestkit() {}

    static PostHogClientConfig config(PostHogTestServer server) {
        return PostHogClientConfig.builder()
                .host(server.baseUrl())
                .projectApiKey(server.projectApiKey())
                .personalApiKey(server.personalApiKey())
                .projectId(server.projectId())
                .requestTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Creates flags over HTTP, as a user would through PostHog's API. */
    static void createFlags(PostHogTestServer server, List<String> bodies) {
        try (PostHogClient client = PostHogClient.create(config(server))) {
            for (String body : bodies) {
                PostHogClient.await(client.featureFlags().create(parse(body)));
            }
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<RecordedRequest> definitionsRequests(PostHogTestServer server) {
        return server.requests().stream()
                .filter(r -> r.path().startsWith("/flags/definitions"))
                .toList();
    }

    static List<RecordedRequest> flagsRequests(PostHogTestServer server) {
        return server.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().startsWith("/flags"))
                .toList();
    }
}
