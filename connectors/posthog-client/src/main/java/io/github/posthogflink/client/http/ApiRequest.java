package io.github.posthogflink.client.http;

import io.github.posthogflink.client.ratelimit.RateLimitClass;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One HTTP call to PostHog, before auth and retries: which host, method, path, query, body, and how
 * it may be repeated.
 */
public final class ApiRequest {

    /** Which of the configured hosts serves the call. */
    public enum Host {
        INGESTION,
        API
    }

    /** How the call authenticates. */
    public enum Auth {
        /** Public endpoints: the project key travels in the body or query. */
        NONE,
        /** {@code Authorization: Bearer <personal key>}. */
        PERSONAL_KEY,
        /** Bearer with the flags secure key when configured, else the personal key. */
        FLAG_DEFINITIONS_KEY
    }

    final String method;
    final Host host;
    final String path;
    final Map<String, List<String>> query = new LinkedHashMap<>();
    final Map<String, String> headers = new LinkedHashMap<>();
    @Nullable byte[] body;
    boolean gzip;
    Auth auth = Auth.NONE;
    boolean retrySafe;
    RateLimitClass rateLimitClass = RateLimitClass.UNLIMITED;
    @Nullable String absoluteUrl;
    Set<Integer> answerStatuses = Set.of();
    boolean retryOnTimeout = true;

    private ApiRequest(String method, Host host, String path) {
        this.method = method;
        this.host = host;
        this.path = path;
        this.retrySafe = method.equals("GET") || method.equals("DELETE") || method.equals("PUT");
    }

    public static ApiRequest of(String method, Host host, String path) {
        return new ApiRequest(method, host, path);
    }

    /** A GET of an absolute URL that PostHog handed back, e.g. a pagination {@code next} link. */
    public static ApiRequest getUrl(String absoluteUrl, String pathForErrors) {
        ApiRequest r = new ApiRequest("GET", Host.API, pathForErrors);
        r.absoluteUrl = absoluteUrl;
        return r;
    }

    public ApiRequest query(String name, @Nullable Object value) {
        if (value != null) {
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(String.valueOf(value));
        }
        return this;
    }

    public ApiRequest queryAll(String name, @Nullable Collection<?> values) {
        if (values != null) {
            for (Object v : values) {
                query(name, v);
            }
        }
        return this;
    }

    public ApiRequest header(String name, @Nullable String value) {
        if (value != null) {
            headers.put(name, value);
        }
        return this;
    }

    public ApiRequest jsonBody(Object value) {
        this.body = value instanceof byte[] bytes ? bytes : Json.write(value);
        return this;
    }

    public ApiRequest gzip(boolean gzip) {
        this.gzip = gzip;
        return this;
    }

    public ApiRequest auth(Auth auth) {
        this.auth = auth;
        return this;
    }

    /** Marks whether repeating the call after an unknown outcome is harmless. */
    /**
     * Error statuses whose bodies carry the call's answer (a failed async query's status): such a
     * response completes the call as an {@link ApiResponse}, and is never retried.
     */
    public ApiRequest answerStatuses(int... statuses) {
        Set<Integer> set = new HashSet<>();
        for (int status : statuses) {
            set.add(status);
        }
        this.answerStatuses = Set.copyOf(set);
        return this;
    }

    /**
     * Never repeats the call after it timed out (no answer within the request timeout, or 504): the
     * server may still be working on it, and a second copy would only add load (a long query).
     */
    public ApiRequest noRetryOnTimeout() {
        this.retryOnTimeout = false;
        return this;
    }

    public ApiRequest retrySafe(boolean retrySafe) {
        this.retrySafe = retrySafe;
        return this;
    }

    public ApiRequest rateLimit(RateLimitClass rateLimitClass) {
        this.rateLimitClass = rateLimitClass;
        return this;
    }

    /** Method and path, safe to show: never the query string, which may carry a key. */
    public String endpoint() {
        return method + " " + path;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }
}
