package io.github.posthogflink.client.api;

import javax.annotation.Nullable;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Query parameters of a list call: {@code limit}, {@code offset} and resource filters. */
public final class ListParams {
    /** PostHog's default page size. */
    public static final int DEFAULT_LIMIT = 100;

    private final Map<String, List<String>> params = new LinkedHashMap<>();

    public static ListParams create() {
        return new ListParams().limit(DEFAULT_LIMIT);
    }

    public ListParams limit(int limit) {
        return set("limit", limit);
    }

    public ListParams offset(int offset) {
        return set("offset", offset);
    }

    public ListParams search(@Nullable String search) {
        return set("search", search);
    }

    /** Sets a filter; null removes it. */
    public ListParams set(String name, @Nullable Object value) {
        if (value == null) {
            params.remove(name);
        } else {
            params.put(name, List.of(String.valueOf(value)));
        }
        return this;
    }

    /** Sets a repeated filter, e.g. {@code tags}. */
    public ListParams setAll(String name, Collection<?> values) {
        params.put(name, values.stream().map(String::valueOf).toList());
        return this;
    }

    /** An independent copy. */
    public ListParams copy() {
        ListParams copy = new ListParams();
        copy.params.putAll(params);
        return copy;
    }

    /** The {@code offset} set, or 0. */
    public int offsetOrZero() {
        List<String> offset = params.get("offset");
        return offset == null ? 0 : Integer.parseInt(offset.get(0));
    }

    public Map<String, List<String>> asMap() {
        return params;
    }
}
