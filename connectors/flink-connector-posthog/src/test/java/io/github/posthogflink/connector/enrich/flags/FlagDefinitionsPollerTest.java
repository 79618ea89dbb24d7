package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.flags.local.EvaluationContext;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class FlagDefinitionsPollerTest {
    @RegisterExtension
    static PostHogTestServer posthog =
            PostHogTestServer.builder().groupTypeMapping(Map.of(0, "company")).build();

    private final AtomicLong nanos = new AtomicLong(0);
    private PostHogClient client;
    private FlagDefinitionsPoller poller;

    @BeforeEach
    void setUp() {
        posthog.reset();
        FlagTestkit.createFlags(posthog, List.of(FlagTestkit.BETA_ROLLOUT, FlagTestkit.PRO_USERS));
        client = PostHogClient.create(FlagTestkit.config(posthog));
    }

    @AfterEach
    void tearDown() {
        if (poller != null) {
            poller.close();
        }
        client.close();
    }

    private FlagDefinitionsPoller poller(FlagDefinitionsPoller.Fetcher fetcher) {
        poller = new FlagDefinitionsPoller(fetcher, Duration.ofHours(1), nanos::get);
        return poller;
    }

    @Test
    void secondPollSendsTheEtagAndKeepsDefinitionsOn304() {
        FlagDefinitionsPoller p = poller(etag -> client.flags().definitions(etag));

        p.pollNow().join();
        assertThat(p.flagCount()).isEqualTo(2);
        assertThat(p.version()).isEqualTo(1);
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(p.ageMillis()).isEqualTo(30_000);

        p.pollNow().join();

        List<RecordedRequest> requests = FlagTestkit.definitionsRequests(posthog);
        assertThat(requests).extracting(RecordedRequest::status).containsExactly(200, 304);
        assertThat(requests.get(0).header("If-None-Match")).isNull();
        assertThat(requests.get(1).header("If-None-Match")).isEqualTo(p.state().etag());
        assertThat(p.notModifiedCount()).isEqualTo(1);
        assertThat(p.version()).isEqualTo(1);
        assertThat(p.flagCount()).isEqualTo(2);
        assertThat(p.ageMillis()).isZero();
    }

    @Test
    void changedFlagsAreLoadedOnTheNextPoll() throws Exception {
        FlagDefinitionsPoller p = poller(etag -> client.flags().definitions(etag));
        p.pollNow().join();

        FlagTestkit.createFlags(posthog, List.of(FlagTestkit.CHECKOUT_VARIANT));
        p.pollNow().join();

        assertThat(FlagTestkit.definitionsRequests(posthog))
                .extracting(RecordedRequest::status)
                .containsExactly(200, 200);
        assertThat(p.version()).isEqualTo(2);
        assertThat(p.evaluator().evaluate("checkout-variant", EvaluationContext.of("u1")).variant())
                .isNotNull();
    }

    @Test
    void unauthorizedClearsTheDefinitions() {
        PostHogClientConfig wrongKey =
                FlagTestkit.config(posthog).toBuilder().personalApiKey("phx_revoked").build();
        AtomicReference<PostHogClient> current = new AtomicReference<>(client);
        try (PostHogClient revoked = PostHogClient.create(wrongKey)) {
            FlagDefinitionsPoller p = poller(etag -> current.get().flags().definitions(etag));
            p.pollNow().join();
            assertThat(p.evaluator()).isNotNull();

            current.set(revoked);
            p.pollNow().join();

            assertThat(FlagTestkit.definitionsRequests(posthog))
                    .extracting(RecordedRequest::status)
                    .containsExactly(200, 401);
            assertThat(p.evaluator()).isNull();
            assertThat(p.state().etag()).isNull();
            assertThat(p.ageMillis()).isEqualTo(-1);
        }
    }

    @Test
    void quotaLimitedClearsTheDefinitionsAndServerErrorsKeepThem() {
        FlagDefinitionsPoller p = poller(etag -> client.flags().definitions(etag));
        p.pollNow().join();

        posthog.faults()
                .add(FaultRule.matching(RouteMatcher.flagDefinitions()).status(503).times(4));
        p.pollNow().join();
        assertThat(p.evaluator()).isNotNull();
        assertThat(p.failureCount()).isEqualTo(1);

        posthog.faults()
                .add(FaultRule.matching(RouteMatcher.flagDefinitions()).status(402).times(1));
        p.pollNow().join();
        assertThat(p.evaluator()).isNull();

        p.pollNow().join();
        assertThat(p.evaluator()).isNotNull();
        List<RecordedRequest> requests = FlagTestkit.definitionsRequests(posthog);
        assertThat(requests.get(requests.size() - 1).status()).isEqualTo(200);
        assertThat(requests.get(requests.size() - 1).header("If-None-Match")).isNull();
    }

    @Test
    void firstAttemptCompletesAfterAFailedPoll() {
        posthog.faults()
                .add(FaultRule.matching(RouteMatcher.flagDefinitions()).status(401).always());
        FlagDefinitionsPoller p = poller(etag -> client.flags().definitions(etag));

        p.pollNow().join();

        assertThat(p.firstAttempt()).isDone();
        assertThat(p.evaluator()).isNull();
    }
}
