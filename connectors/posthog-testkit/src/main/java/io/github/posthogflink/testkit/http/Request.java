package io.github.posthogflink.testkit.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * A received HTTP request. Header names are lower case. {@code body} is the raw body as sent
 * (possibly gzip); see {@link Bodies} to decode it.
 */
public final class Request {
    private final String method;
    private final String path;
    private final String rawQuery;
    private final Map<String, List<String>> query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final String baseUrl;
    private Matcher match;

    public Request(
            String method,
            String path,
            String rawQuery,
            Map<String, List<String>> headers,
            byte[] body,
            String baseUrl) {
        this.method = method.toUpperCase(Locale.ROOT);
        this.path = path;
        this.rawQuery = rawQuery == null ? "" : rawQuery;
        this.query = parseQuery(this.rawQuery);
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach(
                (name, values) ->
                        lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                                .addAll(values));
        this.headers = Collections.unmodifiableMap(lower);
        this.body = body;
        this.baseUrl = baseUrl;
    }

    public static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return result;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            result.computeIfAbsent(decode(name), k -> new ArrayList<>()).add(decode(value));
        }
        return result;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public String rawQuery() {
        return rawQuery;
    }

    public Map<String, List<String>> query() {
        return query;
    }

    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public boolean hasQueryParam(String name) {
        return query.containsKey(name);
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The token of an {@code Authorization: Bearer} header, or null. */
    public String bearerToken() {
        String value = header("authorization");
        if (value == null || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return value.substring(7).trim();
    }

    public byte[] body() {
        return body;
    }

    /** This server's base URL, e.g. {@code http://127.0.0.1:8010}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The route's match of the path, set by the router. */
    public Matcher match() {
        return match;
    }

    void setMatch(Matcher match) {
        this.match = match;
    }

    public String pathGroup(String name) {
        return match.group(name);
    }
}
