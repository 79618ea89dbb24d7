package io.github.posthogflink.jobs.preflight;

import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.jobs.cli.PipelineOptions;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A personal key's scopes as {@code GET /api/personal_api_keys/@current/} answers them ({@code
 * posthog/api/personal_api_key.py}), read by PostHog's rules: {@code *} and a legacy key without
 * scopes allow everything, {@code :write} implies {@code :read}, {@code scoped_teams} limits the
 * projects.
 */
class KeyScopesTest {

    @Test
    void readsPostHogsAnswerAndAppliesItsRules() throws Exception {
        KeyScopes key =
                KeyScopes.fromJson(
                        Json.MAPPER.readTree(
                                """
                                {"id":"018f","label":"flink","mask_value":"phx_...abcd",
                                 "created_at":"2026-01-01T00:00:00Z","last_used_at":null,
                                 "user_id":1,"scopes":["person:read","query:write"],
                                 "scoped_teams":[7,9],"scoped_organizations":[]}
                                """));

        assertThat(key.allows("person:read")).isTrue();
        assertThat(key.allows("query:read")).as(":write implies :read").isTrue();
        assertThat(key.allows("feature_flag:read")).isFalse();
        assertThat(key.missing(List.of("person:read", "feature_flag:read", "query:read")))
                .containsExactly("feature_flag:read");
        assertThat(key.allowsProject(7)).isTrue();
        assertThat(key.allowsProject(8)).isFalse();
    }

    @Test
    void aWildcardOrALegacyKeyAllowsEverythingAndNoScopedTeamsMeansEveryProject() {
        KeyScopes wildcard = new KeyScopes(List.of("*"), List.of());
        KeyScopes legacy = new KeyScopes(List.of(), List.of());

        assertThat(wildcard.missing(List.of("person:read", "query:read"))).isEmpty();
        assertThat(legacy.missing(List.of("feature_flag:read"))).isEmpty();
        assertThat(wildcard.allowsProject(123)).isTrue();
    }

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
