package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.MutableClock;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;
import io.github.posthogflink.testkit.quota.QuotaLimits;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Capture v1 ({@code POST /i/v1/analytics/events}) as {@code rust/capture/src/v1} answers it. */
class CaptureV1Test {
    private static final Instant NOW = Instant.parse("2026-03-19T14:30:00Z");
    private static final MutableClock CLOCK = new MutableClock(NOW);

    @RegisterExtension
    static PostHogTestServer posthog = PostHogTestServer.builder().clock(CLOCK).build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
        CLOCK.set(NOW);
    }

    private static String event(String uuid, String name, String distinctId, String extra) {
        return "{\"event\":\""
                + name
                + "\",\"uuid\":\""
                + uuid
                + "\",\"distinct_id\":\""
                + distinctId
                + "\",\"timestamp\":\"2026-03-19T14:29:58.000Z\""
                + (extra.isEmpty() ? "" : "," + extra)
                + "}";
    }

    private static String batch(String... events) {
        return "{\"created_at\":\"2026-03-19T14:30:00Z\",\"batch\":["
                + String.join(",", events)
                + "]}";
    }

    private List<String> headers(String... overrides) {
        List<String> headers = new ArrayList<>();
        Collections.addAll(
                headers,
                "Authorization",
                "Bearer " + posthog.projectApiKey(),
                "Content-Type",
                "application/json",
                "User-Agent",
                "posthog-python/7.53.0",
                "PostHog-Sdk-Info",
                "posthog-python/7.53.0",
                "PostHog-Attempt",
                "1",
                "PostHog-Request-Id",
                UUID.randomUUID().toString(),
                "PostHog-Request-Timestamp",
                "2026-03-19T14:30:00Z");
        for (int i = 0; i < overrides.length; i += 2) {
            int at = headers.indexOf(overrides[i]);
            if (overrides[i + 1] == null) {
                headers.remove(at + 1);
                headers.remove(at);
            } else if (at >= 0) {
                headers.set(at + 1, overrides[i + 1]);
            } else {
                headers.add(overrides[i]);
                headers.add(overrides[i + 1]);
            }
        }
        return headers;
    }

    private TestHttp.Reply post(String body, String... overrides) {
        return postBytes(body.getBytes(StandardCharsets.UTF_8), overrides);
    }

    private TestHttp.Reply postBytes(byte[] body, String... overrides) {
        return http.postBytes(
                "/i/v1/analytics/events", body, headers(overrides).toArray(new String[0]));
    }

    @Test
    void eachEventGetsItsResultByUuidAndIsStoredWithItsInjectedProperties() {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();

        TestHttp.Reply reply =
                post(
                        batch(
                                event(
                                        first,
                                        "signed_up",
                                        "u1",
                                        "\"session_id\":\"s1\",\"options\":{\"process_person_profile\":true},"
                                            + "\"properties\":{\"plan\":\"pro\",\"$lib\":\"spoofed\","
                                            + "\"$set\":{\"email\":\"a@b.c\"}}"),
                                event(second, "$pageview", "u2", "")));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode results = reply.json().get("results");
        assertThat(results.get(first).get("result").asText()).isEqualTo("ok");
        assertThat(results.get(first).has("details")).isFalse();
        assertThat(results.get(second).get("result").asText()).isEqualTo("ok");
        CapturedEvent stored = posthog.events().get(0);
        assertThat(stored.uuid()).hasToString(first);
        assertThat(stored.route()).isEqualTo("/i/v1/analytics/events");
        assertThat(stored.property("plan")).isEqualTo("pro");
        assertThat(stored.property("$session_id")).isEqualTo("s1");
        assertThat(stored.property("$lib")).isEqualTo("posthog-python");
        assertThat(stored.property("$lib_version")).isEqualTo("7.53.0");
        assertThat(stored.properties().get("$process_person_profile").asBoolean()).isTrue();
        assertThat(posthog.person("u1").orElseThrow().properties().get("email").asText())
                .isEqualTo("a@b.c");
    }

    @Test
    void timestampsAreCorrectedForTheClientsClockSkewUnlessDisabled() {
        String skewed = UUID.randomUUID().toString();
        String exact = UUID.randomUUID().toString();

        // The client's clock runs 10 s ahead of the server's.
        post(
                batch(
                        event(skewed, "a", "u1", ""),
                        event(exact, "b", "u1", "\"options\":{\"disable_skew_correction\":\"1\"}")),
                "PostHog-Request-Timestamp",
                "2026-03-19T14:30:10Z");

        assertThat(posthog.events().get(0).timestamp())
                .isEqualTo(Instant.parse("2026-03-19T14:29:48Z"));
        assertThat(posthog.events().get(1).timestamp())
                .isEqualTo(Instant.parse("2026-03-19T14:29:58Z"));
        assertThat(posthog.events().get(1).properties().get("$ignore_sent_at").asBoolean())
                .isTrue();
    }

    @Test
    void invalidEventsAreDroppedOneByOneWithTheirReason() {
        String noName = UUID.randomUUID().toString();
        String longId = UUID.randomUUID().toString();
        String badTime = UUID.randomUUID().toString();
        String arrayProps = UUID.randomUUID().toString();
        String badOption = UUID.randomUUID().toString();
        String ok = UUID.randomUUID().toString();

        TestHttp.Reply reply =
                post(
                        batch(
                                event(noName, "", "u1", ""),
                                event(longId, "e", "x".repeat(201), ""),
                                event(badTime, "e", "u1", "\"timestamp\":\"yesterday\"")
                                        .replace("\"timestamp\":\"2026-03-19T14:29:58.000Z\",", ""),
                                event(arrayProps, "e", "u1", "\"properties\":[1,2]"),
                                event(
                                        badOption,
                                        "e",
                                        "u1",
                                        "\"options\":{\"cookieless_mode\":\"maybe\"}"),
                                event(ok, "e", "u1", "")));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode results = reply.json().get("results");
        assertThat(results.get(noName).get("details").asText()).isEqualTo("missing_event_name");
        assertThat(results.get(longId).get("details").asText()).isEqualTo("distinct_id_too_large");
        assertThat(results.get(badTime).get("details").asText())
                .isEqualTo("invalid_event_timestamp");
        assertThat(results.get(arrayProps).get("details").asText())
                .isEqualTo("malformed_event_properties");
        assertThat(results.get(badOption).get("details").asText()).isEqualTo("invalid_options");
        for (String dropped : List.of(noName, longId, badTime, arrayProps, badOption)) {
            assertThat(results.get(dropped).get("result").asText()).isEqualTo("drop");
        }
        assertThat(results.get(ok).get("result").asText()).isEqualTo("ok");
        assertThat(posthog.events()).extracting(e -> e.uuid().toString()).containsExactly(ok);
    }

    @Test
    void aPlaceholderDistinctIdIsAWarningAndStoredWithoutPersonProcessing() {
        String uuid = UUID.randomUUID().toString();

        JsonNode results =
                post(batch(event(uuid, "e", "Anonymous", "\"properties\":{\"$set\":{\"a\":1}}")))
                        .json()
                        .get("results");

        assertThat(results.get(uuid).get("result").asText()).isEqualTo("warning");
        assertThat(results.get(uuid).get("details").asText())
                .isEqualTo("person_processing_disabled");
        assertThat(posthog.events()).hasSize(1);
        assertThat(posthog.persons()).isEmpty();
    }

    @Test
    void anEventTooLargeForKafkaIsDroppedAndTheOthersStored() {
        String big = UUID.randomUUID().toString();
        String small = UUID.randomUUID().toString();

        JsonNode results =
                post(batch(
                                event(
                                        big,
                                        "e",
                                        "u1",
                                        "\"properties\":{\"b\":\"" + "x".repeat(1_000_001) + "\"}"),
                                event(small, "e", "u1", "")))
                        .json()
                        .get("results");

        assertThat(results.get(big).get("result").asText()).isEqualTo("drop");
        assertThat(results.get(big).get("details").asText()).isEqualTo("event_too_big");
        assertThat(posthog.events()).extracting(e -> e.uuid().toString()).containsExactly(small);
    }

    @Test
    void refusalsOfTheWholeRequestCarryTagAndDescription() {
        String uuid = UUID.randomUUID().toString();
        String body = batch(event(uuid, "e", "u1", ""));

        TestHttp.Reply noAuth = post(body, "Authorization", null);
        assertThat(noAuth.status()).isEqualTo(401);
        assertThat(noAuth.json().get("error").asText()).isEqualTo("missing_authorization");
        assertThat(noAuth.json().get("error_uri").asText())
                .isEqualTo("https://posthog.com/docs/api");

        TestHttp.Reply missing = post(body, "PostHog-Attempt", null, "Content-Type", null);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("error").asText()).isEqualTo("missing_required_headers");
        assertThat(missing.json().get("error_description").asText())
                .contains("PostHog-Attempt")
                .contains("content-type");

        TestHttp.Reply personal = post(body, "Authorization", "Bearer " + posthog.personalApiKey());
        assertThat(personal.status()).isEqualTo(401);
        assertThat(personal.json().get("error").asText()).isEqualTo("invalid_api_token");
        assertThat(personal.body()).doesNotContain(posthog.personalApiKey());

        assertThat(post(body, "Authorization", "Basic abc").json().get("error").asText())
                .isEqualTo("invalid_header_value");
        assertThat(post(body, "Content-Type", "text/plain").status()).isEqualTo(415);
        assertThat(post(body, "Content-Encoding", "lz4").status()).isEqualTo(415);
        assertThat(post(body, "PostHog-Attempt", "0").status()).isEqualTo(400);
        assertThat(post(body, "PostHog-Request-Id", "not-a-uuid").status()).isEqualTo(400);
        assertThat(posthog.events()).isEmpty();
    }

    @Test
    void malformedBatchesAreRefusedWhole() {
        String uuid = UUID.randomUUID().toString();
        String good = event(uuid, "e", "u1", "");

        assertThat(post("not json").json().get("error").asText())
                .isEqualTo("request_parsing_error");
        assertThat(post("").json().get("error").asText()).isEqualTo("empty_body");
        assertThat(post(batch()).json().get("error").asText()).isEqualTo("empty_batch");
        assertThat(post("{\"batch\":[" + good + "]}").status()).isEqualTo(400);
        assertThat(
                        post("{\"created_at\":\"now\",\"batch\":[" + good + "]}")
                                .json()
                                .get("error")
                                .asText())
                .isEqualTo("invalid_batch");
        assertThat(post(batch(good, good)).json().get("error").asText())
                .isEqualTo("duplicate_event_uuid");
        assertThat(post(batch(event("nope", "e", "u1", ""))).json().get("error").asText())
                .isEqualTo("invalid_event_uuid");
        assertThat(post(batch(event(" ", "e", "u1", ""))).json().get("error").asText())
                .isEqualTo("missing_event_uuid");
        // A mistyped field fails deserialization of the whole batch.
        assertThat(
                        post(batch(
                                        good,
                                        event(UUID.randomUUID().toString(), "e", "u1", "")
                                                .replace("\"e\"", "42")))
                                .json()
                                .get("error")
                                .asText())
                .isEqualTo("request_parsing_error");
        assertThat(posthog.events()).isEmpty();
    }

    @Test
    void aQuotaLimitedProjectIsA429WithRetryAfter() {
        posthog.seed().quotaLimit(QuotaLimits.Resource.EVENTS);

        TestHttp.Reply reply = post(batch(event(UUID.randomUUID().toString(), "e", "u1", "")));

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.header("Retry-After")).isEqualTo("1");
        assertThat(reply.json().get("error").asText()).isEqualTo("billing_limit_exceeded");
        assertThat(posthog.events()).isEmpty();
    }

    @Test
    void gzipAndDeflateBodiesAreDecodedAndHistoricalMigrationKept() throws IOException {
        String gzipped = UUID.randomUUID().toString();
        String deflated = UUID.randomUUID().toString();
        String historical =
                batch(event(gzipped, "e", "u1", ""))
                        .replace(
                                "{\"created_at\"", "{\"historical_migration\":true,\"created_at\"");
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(zlib)) {
            out.write(batch(event(deflated, "e", "u1", "")).getBytes(StandardCharsets.UTF_8));
        }

        assertThat(postBytes(TestHttp.gzip(historical), "Content-Encoding", "gzip").status())
                .isEqualTo(200);
        assertThat(postBytes(zlib.toByteArray(), "Content-Encoding", "deflate").status())
                .isEqualTo(200);

        assertThat(posthog.events()).hasSize(2);
        assertThat(posthog.events().get(0).historicalMigration()).isTrue();
        assertThat(posthog.events().get(1).historicalMigration()).isFalse();
    }
}
