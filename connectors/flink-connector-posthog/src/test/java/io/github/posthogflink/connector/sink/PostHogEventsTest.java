package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.capture.PostHogEvent;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PostHogEventsTest {

    @Test
    void identifyCarriesSetAndSetOnce() {
        PostHogEvent e =
                PostHogEvents.identify("u1", "anon-1", Map.of("email", "a@b.c"), Map.of("first", 1))
                        .build();
        assertThat(e.event()).isEqualTo("$identify");
        assertThat(e.properties())
                .containsEntry("$anon_distinct_id", "anon-1")
                .containsEntry("$set", Map.of("email", "a@b.c"))
                .containsEntry("$set_once", Map.of("first", 1));
    }

    @Test
    void aliasAndGroupIdentify() {
        PostHogEvent alias = PostHogEvents.alias("u1", "u1-old").build();
        assertThat(alias.event()).isEqualTo("$create_alias");
        assertThat(alias.properties()).containsEntry("alias", "u1-old");

        PostHogEvent group =
                PostHogEvents.groupIdentify("company", "acme", Map.of("plan", "pro")).build();
        assertThat(group.event()).isEqualTo("$groupidentify");
        assertThat(group.distinctId()).isEqualTo("$company_acme");
        assertThat(group.properties())
                .containsEntry("$group_type", "company")
                .containsEntry("$group_key", "acme")
                .containsEntry("$group_set", Map.of("plan", "pro"));
    }

    @Test
    void pageviewScreenSurveysAnonymous() {
        assertThat(PostHogEvents.pageview("u", "https://x.io/a", "s-1").build().properties())
                .containsEntry("$current_url", "https://x.io/a")
                .containsEntry("$session_id", "s-1");
        assertThat(PostHogEvents.screen("u", "Home").build().properties())
                .containsEntry("$screen_name", "Home");
        assertThat(PostHogEvents.surveyShown("u", "sv").build().event()).isEqualTo("survey shown");
        assertThat(PostHogEvents.surveyDismissed("u", "sv").build().event())
                .isEqualTo("survey dismissed");
        PostHogEvent sent =
                PostHogEvents.surveySent("u", "sv", Map.of("$survey_response", "yes")).build();
        assertThat(sent.event()).isEqualTo("survey sent");
        assertThat(sent.properties())
                .containsEntry("$survey_id", "sv")
                .containsEntry("$survey_response", "yes");
        assertThat(PostHogEvents.anonymous("view", "anon").build().properties())
                .containsEntry("$process_person_profile", false);
    }
}
