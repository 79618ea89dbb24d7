package io.github.posthogflink.testkit.inspect;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A request the server received: method, path, raw query, headers (lower-case names), the body
 * decoded (gunzipped when gzip), when it arrived, and the status answered (0 when the connection
 * was dropped by a fault).
 */
public record RecordedRequest(
        long sequence,
        String method,
        String path,
        String query,
        Map<String, List<String>> headers,
        byte[] body,
        Instant receivedAt,
        int status) {

    /** The same request with another body. */
    public RecordedRequest withBody(byte[] otherBody) {
        return new RecordedRequest(
                sequence, method, path, query, headers, otherBody, receivedAt, status);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase());
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Without headers or body: they may hold API keys. */
    @Override
    public String toString() {
        return "RecordedRequest[" + method + " " + path + " -> " + status + "]";
    }
}
