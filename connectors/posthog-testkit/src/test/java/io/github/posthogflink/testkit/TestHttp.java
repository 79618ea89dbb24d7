package io.github.posthogflink.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;

/** A small java.net.http client for tests against a {@link PostHogTestServer}. */
public final class TestHttp {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    private final String baseUrl;
    private final String personalApiKey;
    private final long projectId;

    public TestHttp(PostHogTestServer server) {
        this(server.baseUrl(), server.personalApiKey(), server.projectId());
    }

    public TestHttp(String baseUrl) {
        this(baseUrl, null, 1);
    }

    private TestHttp(String baseUrl, String personalApiKey, long projectId) {
        this.baseUrl = baseUrl;
        this.personalApiKey = personalApiKey;
        this.projectId = projectId;
    }

    /** A response with its body as text and, when JSON, parsed. */
    public record Reply(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Reply post(String path, String body, String... headers) {
        return send("POST", path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    public Reply postBytes(String path, byte[] body, String... headers) {
        return send("POST", path, body, headers);
    }

    public Reply get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public Reply delete(String path, String... headers) {
        return send("DELETE", path, null, headers);
    }

    public Reply patch(String path, String body, String... headers) {
        return send("PATCH", path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** With the personal API key as Bearer. */
    public Reply api(String method, String path, String body) {
        return send(
                method,
                path,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                "Authorization",
                "Bearer " + personalApiKey,
                "Content-Type",
                "application/json");
    }

    public Reply send(String method, String path, byte[] body, String... headers) {
        try {
            return sendOrThrow(method, path, body, headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Reply sendOrThrow(String method, String path, byte[] body, String... headers)
            throws IOException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : baseUrl + path))
                        .timeout(Duration.ofSeconds(30))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response =
                    CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public static byte[] gzip(String text) {
        return gzip(text.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A project API path: {@code /api/projects/<id>/<rest>}. */
    public String project(String rest) {
        return "/api/projects/" + projectId + "/" + rest;
    }
}
