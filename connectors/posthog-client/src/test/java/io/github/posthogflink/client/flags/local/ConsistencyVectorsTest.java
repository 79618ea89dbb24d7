package io.github.posthogflink.client.flags.local;

import io.github.posthogflink.client.flags.FlagResult;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * posthog-python's {@code TestConsistency}: the published results for {@code distinct_id_0} to
 * {@code distinct_id_999} of a 45% boolean flag and a 55% multivariate flag.
 */
class ConsistencyVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void simpleFlagAt45PercentMatchesAllThousandVectors() throws Exception {
        List<String> expected = vectors("/flags/simple-flag-consistency.txt");
        assertThat(expected).hasSize(1000);
        LocalFlagEvaluator evaluator =
                evaluator(
                        """
                        {"flags": [{"id": 1, "name": "Beta Feature", "key": "simple-flag",
                          "active": true,
                          "filters": {"groups": [{"properties": [], "rollout_percentage": 45}]}}]}
                        """);
        for (int i = 0; i < 1000; i++) {
            FlagResult result =
                    evaluator.evaluate("simple-flag", EvaluationContext.of("distinct_id_" + i));
            assertThat(String.valueOf(result.enabled()))
                    .as("distinct_id_%d", i)
                    .isEqualTo(expected.get(i));
            assertThat(result.reason().code())
                    .isEqualTo(result.enabled() ? "condition_match" : "out_of_rollout_bound");
        }
    }

    @Test
    void multivariateFlagAt55PercentMatchesAllThousandVectors() throws Exception {
        List<String> expected = vectors("/flags/multivariate-flag-consistency.txt");
        assertThat(expected).hasSize(1000);
        LocalFlagEvaluator evaluator =
                evaluator(
                        """
                        {"flags": [{"id": 1, "name": "Beta Feature", "key": "multivariate-flag",
                          "active": true,
                          "filters": {
                            "groups": [{"properties": [], "rollout_percentage": 55}],
                            "multivariate": {"variants": [
                              {"key": "first-variant", "name": "First Variant", "rollout_percentage": 50},
                              {"key": "second-variant", "name": "Second Variant", "rollout_percentage": 20},
                              {"key": "third-variant", "name": "Third Variant", "rollout_percentage": 20},
                              {"key": "fourth-variant", "name": "Fourth Variant", "rollout_percentage": 5},
                              {"key": "fifth-variant", "name": "Fifth Variant", "rollout_percentage": 5}
                            ]}}}]}
                        """);
        for (int i = 0; i < 1000; i++) {
            FlagResult result =
                    evaluator.evaluate(
                            "multivariate-flag", EvaluationContext.of("distinct_id_" + i));
            assertThat(String.valueOf(result.value()))
                    .as("distinct_id_%d", i)
                    .isEqualTo(expected.get(i));
        }
    }

    private static LocalFlagEvaluator evaluator(String json) throws IOException {
        return new LocalFlagEvaluator(FlagDefinitions.parse(JSON.readTree(json)));
    }

    private static List<String> vectors(String resource) throws IOException {
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(
                                ConsistencyVectorsTest.class.getResourceAsStream(resource),
                                StandardCharsets.UTF_8))) {
            return in.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        }
    }
}
