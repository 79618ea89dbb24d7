package io.github.posthogflink.jobs;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.testkit.PostHogServer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** History for HogQL joins: one earlier {@code signed up} event of each user {@code user-<i>}. */
public final class EarlierEvents {
    private EarlierEvents() {}

    /** Captures one event for each of {@code user-0} .. {@code user-<users - 1>}. */
    public static void capture(PostHogServer posthog, int users) {
        PostHogClientConfig config =
                PostHogClientConfig.builder()
                        .host(posthog.baseUrl())
                        .projectApiKey(posthog.projectApiKey())
                        .build();
        try (PostHogClient client = PostHogClient.create(config)) {
            List<PostHogEvent> events = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                events.add(
                        PostHogEvent.builder("signed up", "user-" + i)
                                .timestamp(Instant.parse("2026-10-01T00:00:00Z"))
                                .build());
            }
            PostHogClient.await(client.capture().batch(events));
        }
    }
}
