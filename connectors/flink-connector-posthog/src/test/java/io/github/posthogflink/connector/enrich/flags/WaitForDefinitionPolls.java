package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.capture.PostHogEvent;

import org.apache.flink.api.common.functions.MapFunction;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Holds the first event until the testkit has answered {@code polls} definitions requests. */
final class WaitForDefinitionPolls implements MapFunction<PostHogEvent, PostHogEvent> {
    private static final long serialVersionUID = 1L;

    private final int polls;
    private boolean waited;

    WaitForDefinitionPolls(int polls) {
        this.polls = polls;
    }

    @Override
    public PostHogEvent map(PostHogEvent event) {
        if (!waited) {
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    FlagTestkit.definitionsRequests(
                                                            FeatureFlagEnrichmentJobTest.POSTHOG)
                                                    .size()
                                            >= polls);
            waited = true;
        }
        return event;
    }
}
