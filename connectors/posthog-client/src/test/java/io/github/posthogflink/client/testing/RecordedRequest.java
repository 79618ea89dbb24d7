package io.github.posthogflink.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One request as the {@link RecordingServer} saw it. Header names are lower case; {@code body} is
 * decoded from gzip when the request said {@code Content-Encoding: gzip}, {@code rawBody} is the
 * bytes on the wire.
 *
 * @param path the raw (undecoded) path
 * @param rawQuery the raw query string, or null
 * @param query the decoded query parameters
 * @param receivedNanos {@link System#nanoTime()} when the server got the request
 */
public record RecordedRequest(
        String method,
        String path,
        @Nullable String rawQuery,
        Map<String, List<String>> query,
        Map<String, List<String>> headers,
        byte[] rawBody,
        byte[] body,
        long receivedNanos) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The first value of a header (case-insensitive name), or null. */
    @Nullable
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The first value of a query parameter, or null. */
    @Nullable
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("Request body is not JSON: " + bodyText(), e);
        }
    }

    /** {@code METHOD /path}. */
    public String line() {
        return method + " " + path;
    }
}
