package io.github.posthogflink.client.http;

import io.github.posthogflink.client.PostHogException;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** The {@link PostHogException}s {@link HttpTransport} ends a call with, and how it reads them. */
final class CallFailures {
    private CallFailures() {}

    /** No answer within the request timeout, or a gateway's 504. */
    static boolean timedOut(PostHogException failure) {
        return failure.status() == 504
                || (failure.status() == 0 && failure.getCause() instanceof TimeoutException);
    }

    /** What a retry is for, as the listener hears it: the status, or timeout / connection. */
    static String retryCause(PostHogException failure) {
        if (failure.status() != 0) {
            return Integer.toString(failure.status());
        }
        return failure.getCause() instanceof TimeoutException ? "timeout" : "connection";
    }

    /** The 429 that ends a call: PostHog asks for more waiting than the policy has left. */
    static PostHogException throttledBeyondPolicy(
            PostHogException failure, Duration waited, Duration maxThrottleWait) {
        Duration asked = failure.retryAfter();
        String detail =
                (failure.detail() == null ? "Throttled" : failure.detail())
                        + " (waited "
                        + shown(waited)
                        + " on 429s; PostHog asks for "
                        + (asked == null ? "more" : shown(asked) + " more")
                        + ", beyond the retry policy's maxThrottleWait of "
                        + shown(maxThrottleWait)
                        + ")";
        return new PostHogException(
                failure.status(),
                failure.endpoint(),
                failure.type(),
                failure.code(),
                detail,
                failure.attr(),
                true,
                asked,
                failure);
    }

    /** An endpoint that needs a personal API key, called without one. */
    static PostHogException noPersonalApiKey(String endpoint) {
        return new PostHogException(
                401,
                endpoint,
                "authentication_error",
                "no_personal_api_key",
                "This endpoint needs a personal API key (phx_...), and none is configured",
                null,
                false,
                null,
                null);
    }

    /** A call the closed client will not send or finish. */
    static PostHogException closed(String endpoint) {
        return new PostHogException(
                0,
                endpoint,
                null,
                "client_closed",
                "The PostHog client was closed",
                null,
                false,
                null,
                null);
    }

    private static String shown(Duration d) {
        return d.compareTo(Duration.ofSeconds(10)) < 0
                ? d.toMillis() + " ms"
                : d.toSeconds() + " s";
    }
}
