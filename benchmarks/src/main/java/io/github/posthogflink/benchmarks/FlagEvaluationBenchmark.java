package io.github.posthogflink.benchmarks;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.flags.FlagsRequest;
import io.github.posthogflink.client.flags.local.EvaluationContext;
import io.github.posthogflink.client.flags.local.FlagDefinitions;
import io.github.posthogflink.client.flags.local.LocalEvaluation;
import io.github.posthogflink.client.flags.local.LocalFlagEvaluator;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.client.ratelimit.RateLimitPolicy;
import io.github.posthogflink.testkit.PostHogServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Local flag evaluation against remote {@code /flags?v=2} on the loopback testkit, for the same
 * flags and distinct ids: evaluations per second on each side, and the ratio.
 */
final class FlagEvaluationBenchmark implements Benchmark {
    private static final int LOCAL_EVALUATIONS = 2_000_000;
    private static final int REMOTE_EVALUATIONS = 5_000;
    private static final int IN_FLIGHT = 32;

    @Override
    public String name() {
        return "flag-evaluation";
    }

    @Override
    public void run(Report report) throws Exception {
        try (PostHogServer server = PostHogServer.builder().build().start();
                PostHogClient client =
                        PostHogClient.create(
                                PostHogClientConfig.builder()
                                        .host(server.baseUrl())
                                        .projectApiKey(server.projectApiKey())
                                        .personalApiKey(server.personalApiKey())
                                        .projectId(server.projectId())
                                        .rateLimitPolicy(RateLimitPolicy.disabled())
                                        .build())) {
            server.seed().createFlag("simple-rollout", 45);
            server.seed().createFlag((ObjectNode) Json.MAPPER.readTree(MULTIVARIATE));
            List<String> keys = List.of("simple-rollout", "checkout-variant");
            JsonNode definitions = client.flags().definitions(null).join().definitions();
            LocalFlagEvaluator evaluator =
                    new LocalFlagEvaluator(FlagDefinitions.parse(definitions));

            // Warm up both paths, then measure.
            localPerSecond(evaluator, keys, LOCAL_EVALUATIONS / 4);
            remotePerSecond(client, keys, REMOTE_EVALUATIONS / 5);
            double local = localPerSecond(evaluator, keys, LOCAL_EVALUATIONS);
            double remote = remotePerSecond(client, keys, REMOTE_EVALUATIONS);
            report.figure(name(), "local evaluations/s (2 flags per id, 1 thread)", local, "ids/s");
            report.figure(
                    name(), "remote /flags?v=2 evaluations/s (32 in flight)", remote, "ids/s");
            report.ratio(name(), "local / remote", local / remote, ">= 100x");
        }
    }

    private static double localPerSecond(LocalFlagEvaluator evaluator, List<String> keys, int n) {
        long start = System.nanoTime();
        long enabled = 0;
        for (int i = 0; i < n; i++) {
            LocalEvaluation result =
                    evaluator.evaluateAll(
                            new EvaluationContext(
                                    "user-" + i, Map.of(), Map.of("plan", "pro"), Map.of()),
                            keys);
            enabled += result.decided().size();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (enabled == 0) {
            throw new IllegalStateException("nothing evaluated");
        }
        return n / seconds;
    }

    private static double remotePerSecond(PostHogClient client, List<String> keys, int n)
            throws InterruptedException {
        Semaphore permits = new Semaphore(IN_FLIGHT);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            permits.acquire();
            client.flags()
                    .evaluate(
                            FlagsRequest.of("user-" + i)
                                    .withPersonProperties(Map.of("plan", "pro"))
                                    .withFlagKeys(keys))
                    .whenComplete((ok, error) -> permits.release());
        }
        permits.acquire(IN_FLIGHT);
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static final String MULTIVARIATE =
            """
            {"key": "checkout-variant", "name": "Checkout variant", "active": true,
             "filters": {
               "groups": [{"properties": [{"key": "plan", "value": ["pro", "team"],
                                           "operator": "exact", "type": "person"}],
                           "rollout_percentage": 55}],
               "multivariate": {"variants": [
                 {"key": "control", "rollout_percentage": 50},
                 {"key": "one-page", "rollout_percentage": 30},
                 {"key": "express", "rollout_percentage": 20}]},
               "payloads": {"express": "{\\"steps\\": 1}"}}}
            """;
}
