package io.github.posthogflink.jobs.preflight;

import io.github.posthogflink.jobs.cli.PipelineOptions;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The personal-key scopes each enrichment needs, named with its option. */
class RequiredScopesTest {

    @Test
    void theEnrichmentsNameTheScopesTheyNeed() {
        PipelineOptions all =
                PipelineOptions.parse(
                        new String[] {
                            "--input", "in.ndjson",
                            "--posthog-host", "http://h",
                            "--project-id", "7",
                            "--hogql-join", "SELECT distinct_id FROM events"
                        },
                        Map.of(
                                "POSTHOG_PROJECT_API_KEY", "phc_x",
                                "POSTHOG_PERSONAL_API_KEY", "phx_y"));
        assertThat(RequiredScopes.of(all))
                .containsExactly(
                        Map.entry("person:read", "--persons"),
                        Map.entry("query:read", "--hogql-join"),
                        Map.entry("feature_flag:read", "--flags local"));
    }
}
