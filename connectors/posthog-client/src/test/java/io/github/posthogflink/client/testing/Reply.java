package io.github.posthogflink.client.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scripted answer of the {@link RecordingServer}: status, headers, body and an optional delay; or
 * a dropped connection (no response at all).
 */
public record Reply(
        int status,
        Map<String, String> headers,
        byte[] body,
        Duration delay,
        boolean dropConnection) {

    /** A JSON answer. */
    public static Reply json(int status, String json) {
        return new Reply(
                        status,
                        Map.of(),
                        json.getBytes(StandardCharsets.UTF_8),
                        Duration.ZERO,
                        false)
                .header("Content-Type", "application/json");
    }

    /** An answer with no body. */
    public static Reply status(int status) {
        return new Reply(status, Map.of(), new byte[0], Duration.ZERO, false);
    }

    /** A plain-text answer, as PostHog's capture service sends for errors. */
    public static Reply text(int status, String text) {
        return new Reply(
                        status,
                        Map.of(),
                        text.getBytes(StandardCharsets.UTF_8),
                        Duration.ZERO,
                        false)
                .header("Content-Type", "text/plain");
    }

    /** PostHog's DRF error body: {@code {"type","code","detail","attr"}}. */
    public static Reply error(int status, String type, String code, String detail, String attr) {
        String attrJson = attr == null ? "null" : '"' + attr + '"';
        return json(
                status,
                "{\"type\":\""
                        + type
                        + "\",\"code\":\""
                        + code
                        + "\",\"detail\":\""
                        + detail
                        + "\",\"attr\":"
                        + attrJson
                        + "}");
    }

    /** Closes the connection without answering: the client sees a transport error. */
    public static Reply drop() {
        return new Reply(0, Map.of(), new byte[0], Duration.ZERO, true);
    }

    public Reply header(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Reply(status, copy, body, delay, dropConnection);
    }

    public Reply after(Duration wait) {
        return new Reply(status, headers, body, wait, dropConnection);
    }
}
