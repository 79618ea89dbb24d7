package io.github.posthogflink.client;

import io.github.posthogflink.client.http.Secrets;

import javax.annotation.Nullable;

import java.time.Duration;

/**
 * A failed PostHog call. Carries the HTTP status (0 for transport failures), PostHog's error body
 * ({@code type}, {@code code}, {@code detail}, {@code attr}), the endpoint (method and path, never
 * a key) and whether repeating the call may succeed.
 */
public class PostHogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String endpoint;
    @Nullable private final String type;
    @Nullable private final String code;
    @Nullable private final String detail;
    @Nullable private final String attr;
    private final boolean retryable;
    @Nullable private final Duration retryAfter;

    public PostHogException(
            int status,
            String endpoint,
            @Nullable String type,
            @Nullable String code,
            @Nullable String detail,
            @Nullable String attr,
            boolean retryable,
            @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message(status, endpoint, code, detail), cause);
        this.status = status;
        this.endpoint = endpoint;
        this.type = type;
        this.code = code;
        this.detail = Secrets.redact(detail);
        this.attr = attr;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    private static String message(
            int status, String endpoint, @Nullable String code, @Nullable String detail) {
        StringBuilder sb = new StringBuilder(endpoint);
        sb.append(status == 0 ? " failed" : " failed with HTTP " + status);
        if (code != null) {
            sb.append(" [").append(code).append(']');
        }
        if (detail != null && !detail.isBlank()) {
            sb.append(": ").append(Secrets.redact(detail));
        }
        return sb.toString();
    }

    /** Whether a status is worth retrying: 408, 429 and 5xx. */
    public static boolean isRetryableStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** The HTTP status, or 0 when no response arrived (timeout, connection error). */
    public int status() {
        return status;
    }

    /** Method and path, e.g. {@code POST /batch/}. */
    public String endpoint() {
        return endpoint;
    }

    @Nullable
    public String type() {
        return type;
    }

    @Nullable
    public String code() {
        return code;
    }

    @Nullable
    public String detail() {
        return detail;
    }

    @Nullable
    public String attr() {
        return attr;
    }

    public boolean isRetryable() {
        return retryable;
    }

    /** The server's {@code Retry-After}, if it sent one. */
    @Nullable
    public Duration retryAfter() {
        return retryAfter;
    }
}
