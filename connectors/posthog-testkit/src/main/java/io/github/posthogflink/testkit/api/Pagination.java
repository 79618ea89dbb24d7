package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Django REST framework's limit/offset pagination: {@code count}, {@code next}, {@code previous}
 * (absolute URLs on this server) and {@code results}.
 */
public final class Pagination {
    public static final int DEFAULT_LIMIT = 100;

    private Pagination() {}

    public static ObjectNode page(Request request, List<? extends JsonNode> items) {
        return page(request, items, true);
    }

    public static ObjectNode page(Request request, List<? extends JsonNode> items, boolean count) {
        return page(request, items, count, DEFAULT_LIMIT);
    }

    /** A page whose size without {@code limit} is {@code defaultLimit} (DRF's default_limit). */
    public static ObjectNode page(
            Request request, List<? extends JsonNode> items, boolean count, int defaultLimit) {
        int limit = intParam(request, "limit", defaultLimit);
        int offset = intParam(request, "offset", 0);
        int from = Math.min(offset, items.size());
        int to = Math.min(items.size(), from + limit);
        ObjectNode page = Json.object();
        if (count) {
            page.put("count", items.size());
        }
        page.put("next", to < items.size() ? link(request, limit, to) : null);
        page.put("previous", offset > 0 ? link(request, limit, Math.max(0, offset - limit)) : null);
        page.set("results", Json.array().addAll(items.subList(from, to)));
        return page;
    }

    public static int intParam(Request request, String name, int fallback) {
        String value = request.queryParam(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiError.invalidInput("A valid integer is required.", name);
        }
    }

    private static String link(Request request, int limit, int offset) {
        Map<String, String> params = new LinkedHashMap<>();
        request.query().forEach((k, v) -> params.put(k, v.get(0)));
        params.put("limit", String.valueOf(limit));
        params.put("offset", String.valueOf(offset));
        String query =
                params.entrySet().stream()
                        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                        .collect(Collectors.joining("&"));
        return request.baseUrl() + request.path() + "?" + query;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
