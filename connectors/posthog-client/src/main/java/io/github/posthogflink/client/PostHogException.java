package io.github.posthogflink.client;

import io.github.posthogflink.client.http.Secrets;

import javax.annotation.Nullable;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failed PostHog call. Carries the HTTP status (0 for transport failures), PostHog's error body
 * ({@code type}, {@code code}, {@code detail}, {@code attr}), the endpoint (method and path, never
 * a key) and whether repeating the call may succeed. A call that got no answer ({@link
 * #noResponse}) also names the {@link #target()} it tried, and its detail says why: refused, DNS,
 * TLS, closed, timed out.
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
    @Nullable private final String target;

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
        this(status, endpoint, type, code, detail, attr, retryable, retryAfter, cause, null);
    }

    private PostHogException(
            int status,
            String endpoint,
            @Nullable String type,
            @Nullable String code,
            @Nullable String detail,
            @Nullable String attr,
            boolean retryable,
            @Nullable Duration retryAfter,
            @Nullable Throwable cause,
            @Nullable String target) {
        super(message(status, endpoint, code, detail), cause);
        this.target = target;
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

    /**
     * A call that got no answer from {@code target} ({@code host:port}): status 0, retryable, code
     * {@code timeout} or {@code transport_error}, and a detail that names the target and the cause,
     * e.g. {@code connection refused by localhost:1}, {@code unknown host posthog.invalid (DNS
     * lookup failed)}, {@code TLS handshake with localhost:8443 failed: ...}.
     */
    public static PostHogException noResponse(String endpoint, String target, Throwable cause) {
        boolean timeout = isTimeout(cause);
        return new PostHogException(
                0,
                endpoint,
                null,
                timeout ? "timeout" : "transport_error",
                describeNoResponse(target, cause),
                null,
                true,
                null,
                cause,
                target);
    }

    private static final Pattern AFTER_MS = Pattern.compile("after (\\d+) ?ms");

    /** Why a call to {@code target} got no answer, from its transport failure. */
    static String describeNoResponse(String target, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            String lower = message.toLowerCase(Locale.ROOT);
            if (t instanceof UnknownHostException) {
                return "unknown host " + hostOf(target) + " (DNS lookup failed)";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS handshake with " + target + " failed: " + message;
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to " + target;
            }
            // Netty's ConnectTimeoutException extends ConnectException (matched by name: the
            // shaded jars relocate Netty).
            if (t.getClass().getSimpleName().equals("ConnectTimeoutException")) {
                return "connecting to " + target + " timed out" + after(message);
            }
            if (t instanceof ConnectException && lower.contains("refused")) {
                return "connection refused by " + target;
            }
            if (t instanceof TimeoutException) {
                return "no answer from " + target + " in time" + after(message) + " (timeout)";
            }
            if (t instanceof ClosedChannelException
                    || lower.contains("connection reset")
                    || lower.contains("closed")) {
                return "the connection to " + target + " closed before an answer";
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "no answer from "
                + target
                + ": "
                + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException
                    || t.getClass().getSimpleName().equals("ConnectTimeoutException")) {
                return true;
            }
        }
        return false;
    }

    private static String after(String message) {
        Matcher m = AFTER_MS.matcher(message);
        return m.find() ? " after " + m.group(1) + " ms" : "";
    }

    private static String hostOf(String target) {
        int colon = target.lastIndexOf(':');
        return colon > 0 ? target.substring(0, colon) : target;
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

    /** {@code host:port} of a call that got no answer ({@link #noResponse}); null otherwise. */
    @Nullable
    public String target() {
        return target;
    }

    /** The server's {@code Retry-After}, if it sent one. */
    @Nullable
    public Duration retryAfter() {
        return retryAfter;
    }
}
