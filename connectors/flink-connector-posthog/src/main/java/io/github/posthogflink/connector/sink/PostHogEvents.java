package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.capture.PostHogEvent;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builders for PostHog's special events, shaped as the official SDKs send them. Each returns a
 * {@link PostHogEvent.Builder}, so a timestamp, uuid or more properties can still be added.
 */
@PublicEvolving
public final class PostHogEvents {

    private PostHogEvents() {}

    /** An ordinary event. */
    public static PostHogEvent.Builder capture(String event, String distinctId) {
        return PostHogEvent.builder(event, distinctId);
    }

    /**
     * {@code $identify}: sets person properties ({@code $set}, {@code $set_once}); with {@code
     * anonDistinctId}, merges that anonymous person into this one.
     */
    public static PostHogEvent.Builder identify(
            String distinctId,
            @Nullable String anonDistinctId,
            Map<String, ?> set,
            Map<String, ?> setOnce) {
        PostHogEvent.Builder b = PostHogEvent.builder("$identify", distinctId);
        if (anonDistinctId != null) {
            b.property("$anon_distinct_id", anonDistinctId);
        }
        if (!set.isEmpty()) {
            b.set(set);
        }
        if (!setOnce.isEmpty()) {
            b.setOnce(setOnce);
        }
        return b;
    }

    /** {@code $create_alias}: makes {@code alias} another distinct id of {@code distinctId}. */
    public static PostHogEvent.Builder alias(String distinctId, String alias) {
        return PostHogEvent.builder("$create_alias", distinctId)
                .property("distinct_id", distinctId)
                .property("alias", alias);
    }

    /**
     * {@code $groupidentify}: creates or updates a group. The distinct id is {@code $<type>_<key>},
     * as posthog-python and posthog-go send it.
     */
    public static PostHogEvent.Builder groupIdentify(
            String groupType, String groupKey, Map<String, ?> groupSet) {
        return PostHogEvent.builder("$groupidentify", "$" + groupType + "_" + groupKey)
                .property("$group_type", groupType)
                .property("$group_key", groupKey)
                .property("$group_set", new LinkedHashMap<>(groupSet));
    }

    /** {@code $pageview} of {@code currentUrl}, optionally in a session. */
    public static PostHogEvent.Builder pageview(
            String distinctId, String currentUrl, @Nullable String sessionId) {
        PostHogEvent.Builder b =
                PostHogEvent.builder("$pageview", distinctId).property("$current_url", currentUrl);
        if (sessionId != null) {
            b.property("$session_id", sessionId);
        }
        return b;
    }

    /** {@code $screen} (mobile): a screen view. */
    public static PostHogEvent.Builder screen(String distinctId, String screenName) {
        return PostHogEvent.builder("$screen", distinctId).property("$screen_name", screenName);
    }

    /** {@code survey shown}. */
    public static PostHogEvent.Builder surveyShown(String distinctId, String surveyId) {
        return PostHogEvent.builder("survey shown", distinctId).property("$survey_id", surveyId);
    }

    /** {@code survey dismissed}. */
    public static PostHogEvent.Builder surveyDismissed(String distinctId, String surveyId) {
        return PostHogEvent.builder("survey dismissed", distinctId)
                .property("$survey_id", surveyId);
    }

    /**
     * {@code survey sent} with the answers, keyed {@code $survey_response} (first question), {@code
     * $survey_response_1}, ... or by question id, as the caller chooses.
     */
    public static PostHogEvent.Builder surveySent(
            String distinctId, String surveyId, Map<String, ?> responses) {
        return PostHogEvent.builder("survey sent", distinctId)
                .property("$survey_id", surveyId)
                .properties(responses);
    }

    /**
     * An event that creates or updates no person profile ({@code $process_person_profile: false}),
     * for anonymous traffic.
     */
    public static PostHogEvent.Builder anonymous(String event, String distinctId) {
        return PostHogEvent.builder(event, distinctId).property("$process_person_profile", false);
    }
}
