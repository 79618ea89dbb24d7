package io.github.posthogflink.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads what the testkit container stored, through its inspection API ({@code /_testkit/}). */
final class TestkitProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TestkitProbe(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** Events named {@code event} after PostHog's deduplication: one per dedup key. */
    List<JsonNode> dedupedEvents(String event) throws IOException, InterruptedException {
        return results("/_testkit/events/deduped?event=" + encode(event));
    }

    /** Every event named {@code event} as received, retries and replays included. */
    List<JsonNode> rawEvents(String event) throws IOException, InterruptedException {
        return results("/_testkit/events?event=" + encode(event));
    }

    boolean healthy() {
        try {
            return get("/_testkit/health").path("status").asText().equals("ok");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private List<JsonNode> results(String path) throws IOException, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        get(path).get("results").forEach(out::add);
        return out;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(base.resolve(path))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(path + ": " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
