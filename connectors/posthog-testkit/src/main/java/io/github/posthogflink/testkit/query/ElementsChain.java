package io.github.posthogflink.testkit.query;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * PostHog's {@code elements_chain}: the autocapture elements of an event as one string, built from
 * the legacy {@code $elements} array as PostHog's ingestion does ({@code
 * plugin-server/src/utils/elements-chain.ts}): per element its tag, sorted classes, then {@code
 * :key="value"} attributes sorted by key ({@code nth-child}, {@code nth-of-type}, {@code text},
 * {@code href}, {@code attr_id} and the {@code attr__*} ones), elements joined by {@code ;}.
 */
final class ElementsChain {
    private ElementsChain() {}

    static String fromElements(JsonNode elements) {
        if (elements == null || !elements.isArray() || elements.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>(elements.size());
        for (JsonNode element : elements) {
            parts.add(element(element));
        }
        return String.join(";", parts);
    }

    private static String element(JsonNode el) {
        StringBuilder out = new StringBuilder();
        if (el.hasNonNull("tag_name")) {
            out.append(el.get("tag_name").asText());
        }
        List<String> classes = classes(el.get("attr__class"));
        classes.sort(null);
        for (String c : classes) {
            out.append('.').append(c.replace("\"", ""));
        }
        Map<String, String> attributes = new TreeMap<>();
        String text = textOrNull(el, "$el_text");
        if (text != null && !text.isEmpty()) {
            attributes.put("text", cut(text, 400));
        }
        attributes.put(
                "nth-child", el.hasNonNull("nth_child") ? el.get("nth_child").asText() : "0");
        attributes.put(
                "nth-of-type", el.hasNonNull("nth_of_type") ? el.get("nth_of_type").asText() : "0");
        String href = textOrNull(el, "attr__href");
        if (href != null && !href.isEmpty()) {
            attributes.put("href", cut(href, 2048));
        }
        String id = textOrNull(el, "attr__id");
        if (id != null && !id.isEmpty()) {
            attributes.put("attr_id", id);
        }
        el.fields()
                .forEachRemaining(
                        e -> {
                            if (e.getKey().startsWith("attr__")) {
                                attributes.put(e.getKey(), text(e.getValue()));
                            }
                        });
        out.append(':');
        attributes.forEach(
                (key, value) ->
                        out.append(escape(key)).append("=\"").append(escape(value)).append('"'));
        return out.toString();
    }

    private static List<String> classes(JsonNode value) {
        List<String> classes = new ArrayList<>();
        if (value == null || value.isNull()) {
            return classes;
        }
        if (value.isArray()) {
            value.forEach(c -> classes.add(c.asText()));
        } else {
            for (String c : value.asText().split(" ")) {
                classes.add(c);
            }
        }
        classes.removeIf(String::isEmpty);
        return classes;
    }

    private static String textOrNull(JsonNode el, String field) {
        JsonNode value = el.get(field);
        return value == null || value.isNull() ? null : text(value);
    }

    /** A value as JavaScript's {@code toString()} prints it (arrays joined by commas). */
    private static String text(JsonNode value) {
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(text(item)));
            return String.join(",", items);
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    private static String escape(String text) {
        return text.replace("\"", "\\\"");
    }
}
