package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.client.flags.FlagsRequest;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlagSubjectTest {
    private static final PostHogClientConfig CLIENT =
            PostHogClientConfig.builder()
                    .host("http://127.0.0.1:1")
                    .projectApiKey("phc_subject_test")
                    .personalApiKey("phx_subject_test")
                    .build();

    @Test
    void takesDistinctIdGroupsSetAndNamedPropertiesAsSdksDo() {
        PostHogEvent event =
                PostHogEvent.builder("order_placed", "u1")
                        .set(Map.of("plan", "pro", "email", "a@example.com"))
                        .property("country", "DE")
                        .property("seats", 12)
                        .group("company", "acme")
                        .build();
        FlagEnrichmentOptions options =
                FlagEnrichmentOptions.builder(CLIENT)
                        .personPropertyKeys("country", "missing")
                        .groupPropertyKeys("company", "seats")
                        .build();

        FlagSubject subject = FlagSubject.from(event, FlagEventAccessor.postHogEvents(), options);

        assertThat(subject.distinctId()).isEqualTo("u1");
        assertThat(subject.groups()).isEqualTo(Map.of("company", "acme"));
        assertThat(subject.personProperties())
                .isEqualTo(
                        Map.of(
                                "distinct_id", "u1",
                                "plan", "pro",
                                "email", "a@example.com",
                                "country", "DE"));
        assertThat(subject.groupProperties())
                .isEqualTo(Map.of("company", Map.of("$group_key", "acme", "seats", 12)));

        FlagsRequest request = subject.request(List.of("beta"));
        assertThat(request.flagKeys()).containsExactly("beta");
        assertThat(request.groups()).isEqualTo(Map.of("company", "acme"));
        assertThat(request.geoipDisable()).isTrue();
    }

    @Test
    void setCanBeIgnored() {
        PostHogEvent event = PostHogEvent.builder("e", "u1").set(Map.of("plan", "pro")).build();
        FlagEnrichmentOptions options =
                FlagEnrichmentOptions.builder(CLIENT).personPropertiesFromSet(false).build();

        FlagSubject subject = FlagSubject.from(event, FlagEventAccessor.postHogEvents(), options);

        assertThat(subject.personProperties()).isEqualTo(Map.of("distinct_id", "u1"));
        assertThat(subject.groupProperties()).isEmpty();
        assertThat(subject.request(null).groups()).isNull();
    }

    @Test
    void optionsRefuseLocalModeWithoutADefinitionsKeyAndHideKeys() {
        PostHogClientConfig projectOnly =
                PostHogClientConfig.builder()
                        .host("http://127.0.0.1:1")
                        .projectApiKey("phc_secret_value")
                        .build();
        assertThatThrownBy(() -> FlagEnrichmentOptions.builder(projectOnly).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("personal API key");

        FlagEnrichmentOptions remote =
                FlagEnrichmentOptions.builder(projectOnly).mode(EvaluationMode.REMOTE).build();
        assertThat(remote.toString()).doesNotContain("phc_secret_value");
        assertThat(remote.pollInterval()).hasSeconds(30);
        assertThat(remote.failurePolicy()).isEqualTo(FlagFailurePolicy.EMIT_WITHOUT_FLAGS);
    }

    @Test
    void flagPropertiesListEnabledFlagsSorted() {
        Map<String, FlagEvaluationResult> flags = new java.util.LinkedHashMap<>();
        flags.put("zeta", result("zeta", true, null));
        flags.put("alpha", result("alpha", true, "test"));
        flags.put("off", result("off", false, null));

        Map<String, Object> properties = FeatureFlagEnricher.flagProperties(flags);

        assertThat(properties)
                .containsEntry("$feature/zeta", true)
                .containsEntry("$feature/alpha", "test")
                .containsEntry("$feature/off", false)
                .containsEntry("$active_feature_flags", List.of("alpha", "zeta"));
        assertThat(FeatureFlagEnricher.flagProperties(Map.of("off", result("off", false, null))))
                .containsOnlyKeys("$feature/off");
    }

    private static FlagEvaluationResult result(String key, boolean enabled, String variant) {
        return new FlagEvaluationResult(
                key, enabled, variant, null, null, FlagEvaluationSource.LOCAL);
    }
}
