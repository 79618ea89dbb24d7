package io.github.posthogflink.testkit.conformance;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.inspect.RecordedRequest;
import io.github.posthogflink.testkit.persons.GroupSnapshot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.FeatureFlagResult;
import com.posthog.server.PostHog;
import com.posthog.server.PostHogCaptureOptions;
import com.posthog.server.PostHogConfig;
import com.posthog.server.PostHogFeatureFlagOptions;
import com.posthog.server.PostHogInterface;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * PostHog's own JVM SDK ({@code com.posthog:posthog-server}) against the testkit: what each call
 * stores and answers. Where the testkit differed from PostHog, these tests caught it.
 */
class JvmSdkConformanceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static PostHogTestServer posthog =
            PostHogTestServer.builder().groupTypeMapping(Map.of(0, "company")).build();

    private PostHogInterface sdk;

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    @AfterEach
    void close() {
        if (sdk != null) {
            sdk.close();
        }
    }

    private PostHogInterface sdk(boolean localEvaluation) {
        PostHogConfig.Builder config =
                new PostHogConfig.Builder(posthog.projectApiKey())
                        .host(posthog.baseUrl())
                        .flushAt(1)
                        // A flush() while one is in flight is skipped; the timer sends the rest.
                        .flushIntervalSeconds(1)
                        .sendFeatureFlagEvent(false);
        if (localEvaluation) {
            config.localEvaluation(true).personalApiKey(posthog.personalApiKey());
        }
        sdk = PostHog.with(config.build());
        return sdk;
    }

    private static List<CapturedEvent> awaitEvents(int count) {
        await().atMost(WAIT).until(() -> posthog.events().size() >= count);
        return posthog.events();
    }

    @Test
    void captureStoresTheEventItsPropertiesAndTimestamp() {
        Instant when = Instant.parse("2026-01-02T03:04:05Z");
        sdk(false)
                .capture(
                        "user-1",
                        "order_placed",
                        new PostHogCaptureOptions.Builder()
                                .property("amount", 42)
                                .property("currency", "EUR")
                                .timestamp(when)
                                .build());
        sdk.flush();

        CapturedEvent stored = awaitEvents(1).get(0);
        assertThat(stored.event()).isEqualTo("order_placed");
        assertThat(stored.distinctId()).isEqualTo("user-1");
        assertThat(stored.properties().get("amount").asInt()).isEqualTo(42);
        assertThat(stored.property("currency")).isEqualTo("EUR");
        assertThat(stored.property("$lib")).isNotBlank();
        // The SDK sends sent_at, so the stored time is corrected for the (tiny) clock difference.
        assertThat(stored.timestamp()).isCloseTo(when, within(5, ChronoUnit.SECONDS));
        assertThat(stored.uuid()).isNotNull();
    }

    @Test
    void identifyAndCaptureWithUserPropertiesSetThePerson() {
        sdk(false).identify("user-1", Map.of("email", "a@acme.com"), Map.of("signup", "monday"));
        sdk.capture(
                "user-1",
                "upgraded",
                new PostHogCaptureOptions.Builder()
                        .userProperty("plan", "pro")
                        .userPropertySetOnce("signup", "tuesday")
                        .build());
        sdk.flush();

        awaitEvents(2);
        ObjectNode person = posthog.person("user-1").orElseThrow().properties();
        assertThat(person.get("email").asText()).isEqualTo("a@acme.com");
        assertThat(person.get("plan").asText()).isEqualTo("pro");
        assertThat(person.get("signup").asText()).isEqualTo("monday");
        CapturedEvent upgraded =
                posthog.events().stream()
                        .filter(e -> e.event().equals("upgraded"))
                        .findFirst()
                        .orElseThrow();
        assertThat(upgraded.properties().get("$set").get("plan").asText()).isEqualTo("pro");
    }

    @Test
    void aliasMergesTheTwoDistinctIdsIntoOnePerson() {
        sdk(false).identify("user-1", Map.of("email", "a@acme.com"));
        sdk.alias("user-1", "device-9");
        sdk.flush();

        awaitEvents(2);
        assertThat(posthog.person("device-9").orElseThrow().uuid())
                .isEqualTo(posthog.person("user-1").orElseThrow().uuid());
    }

    @Test
    void groupIdentifyStoresTheGroupAndCaptureCarriesGroups() {
        sdk(false).group("user-1", "company", "acme", Map.of("plan", "enterprise"));
        sdk.capture(
                "user-1",
                "report_viewed",
                new PostHogCaptureOptions.Builder().group("company", "acme").build());
        sdk.flush();

        awaitEvents(2);
        GroupSnapshot acme =
                posthog.groups().stream()
                        .filter(g -> g.groupKey().equals("acme"))
                        .findFirst()
                        .orElseThrow();
        assertThat(acme.properties().get("plan").asText()).isEqualTo("enterprise");
        CapturedEvent viewed =
                posthog.events().stream()
                        .filter(e -> e.event().equals("report_viewed"))
                        .findFirst()
                        .orElseThrow();
        assertThat(viewed.properties().get("$groups").get("company").asText()).isEqualTo("acme");
    }

    @Test
    void remoteFlagsAnswerVariantsAndPayloads() {
        Scenarios.seedFlags(posthog.seed());

        PostHogInterface remote = sdk(false);

        assertThat(remote.getFeatureFlag("user-1", "pricing")).isEqualTo("test");
        assertThat(remote.isFeatureEnabled("user-1", "beta")).isTrue();
        assertThat(remote.isFeatureEnabled("user-1", "nobody")).isFalse();
        FeatureFlagResult result = remote.getFeatureFlagResult("user-1", "pricing");
        assertThat(result.getVariant()).isEqualTo("test");
        assertThat(String.valueOf(result.getPayload())).contains("price").contains("10");
        assertThat(posthog.requests())
                .extracting(RecordedRequest::path)
                .anyMatch(p -> p.startsWith("/flags"));
    }

    @Test
    void remoteFlagsUseThePersonPropertiesPassed() {
        Scenarios.seedFlags(posthog.seed());

        PostHogInterface remote = sdk(false);

        assertThat(
                        remote.isFeatureEnabled(
                                "user-1",
                                "acme-only",
                                new PostHogFeatureFlagOptions.Builder()
                                        .personProperty("email", "a@acme.com")
                                        .build()))
                .isTrue();
        assertThat(remote.isFeatureEnabled("user-2", "acme-only")).isFalse();
    }

    @Test
    void localEvaluationPollsTheDefinitionsAndEvaluatesWithoutCallingFlags() {
        Scenarios.seedFlags(posthog.seed());

        PostHogInterface local = sdk(true);
        await().atMost(WAIT)
                .until(
                        () ->
                                posthog.requests().stream()
                                        .anyMatch(
                                                r ->
                                                        r.path().contains("local_evaluation")
                                                                || r.path()
                                                                        .startsWith(
                                                                                "/flags/definitions")));
        await().atMost(WAIT).until(() -> "test".equals(local.getFeatureFlag("u1", "pricing")));

        assertThat(local.isFeatureEnabled("u1", "beta")).isTrue();
        assertThat(posthog.requests())
                .extracting(RecordedRequest::path)
                .noneMatch(p -> p.equals("/flags") || p.equals("/flags/"));
        RecordedRequest poll =
                posthog.requests().stream()
                        .filter(
                                r ->
                                        r.path().contains("local_evaluation")
                                                || r.path().startsWith("/flags/definitions"))
                        .findFirst()
                        .orElseThrow();
        assertThat(poll.status()).isEqualTo(200);
        assertThat(poll.headers().get("authorization").get(0)).startsWith("Bearer ");

        local.reloadFeatureFlags();
        await().atMost(WAIT)
                .until(
                        () ->
                                posthog.requests().stream()
                                                .filter(r -> r.path().contains("local_evaluation"))
                                                .count()
                                        >= 2);
        posthog.requests()
                .forEach(
                        r ->
                                System.out.println(
                                        "REQ " + r.path() + " " + r.status() + " " + r.headers()));
    }
}
