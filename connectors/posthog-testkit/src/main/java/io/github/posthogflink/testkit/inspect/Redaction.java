package io.github.posthogflink.testkit.inspect;

import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Hides keys in what the HTTP inspection API shows: credentials in headers ({@code Authorization},
 * {@code Cookie}), key parameters in query strings, the body fields PostHog reads keys from ({@code
 * api_key}, {@code token}, {@code $token}, at any depth), and anything that looks like a PostHog
 * key ({@code phc_}, {@code phx_}, {@code phs_}) or is one of the server's own keys, anywhere. A
 * hidden key keeps its kind: {@code phx_***}.
 */
public final class Redaction {
    private static final Set<String> KEY_FIELDS =
            Set.of("api_key", "token", "$token", "personal_api_key", "secret_api_key");
    private static final Set<String> CREDENTIAL_HEADERS =
            Set.of("authorization", "proxy-authorization", "cookie", "x-api-key");

    private final List<String> serverKeys;

    /** {@code serverKeys}: the server's own keys, hidden wherever they appear. */
    public Redaction(List<String> serverKeys) {
        this.serverKeys = serverKeys.stream().filter(k -> k != null && k.length() >= 4).toList();
    }

    /** A key shown by its kind only. */
    static String mask(String key) {
        return key.length() > 4 && key.charAt(3) == '_' ? key.substring(0, 4) + "***" : "***";
    }

    /** Free text with every key hidden. */
    public String text(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String key : serverKeys) {
            if (result.contains(key)) {
                result = result.replace(key, mask(key));
            }
        }
        return Secrets.redact(result);
    }

    /** Headers with credentials hidden ({@code Bearer phx_***}). */
    public Map<String, List<String>> headers(Map<String, List<String>> headers) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        headers.forEach(
                (name, values) -> {
                    List<String> shown = new ArrayList<>(values.size());
                    for (String value : values) {
                        shown.add(
                                CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT))
                                        ? credential(value)
                                        : text(value));
                    }
                    result.put(name, shown);
                });
        return result;
    }

    private static String credential(String value) {
        int space = value.indexOf(' ');
        return space < 0
                ? mask(value.trim())
                : value.substring(0, space + 1) + mask(value.substring(space + 1).trim());
    }

    /** A raw query string with key parameters hidden. */
    public String query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return rawQuery;
        }
        StringBuilder result = new StringBuilder();
        for (Map.Entry<String, List<String>> param : Request.parseQuery(rawQuery).entrySet()) {
            for (String value : param.getValue()) {
                result.append(result.length() == 0 ? "" : "&")
                        .append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8))
                        .append('=')
                        .append(
                                URLEncoder.encode(
                                                KEY_FIELDS.contains(param.getKey())
                                                        ? mask(value)
                                                        : text(value),
                                                StandardCharsets.UTF_8)
                                        .replace("%2A", "*"));
            }
        }
        return result.toString();
    }

    /** A decoded body: JSON with key fields hidden at any depth, other text with keys hidden. */
    public String body(String body) {
        String trimmed = body.trim();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                JsonNode json = Json.parse(trimmed);
                return Json.text(redact(json));
            } catch (IOException notJson) {
                // falls through to text
            }
        }
        return text(body);
    }

    /** A copy of {@code node} with key fields and keys hidden. */
    public JsonNode json(JsonNode node) {
        return node == null ? null : redact(node.deepCopy());
    }

    private JsonNode redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            List<Map.Entry<String, JsonNode>> replaced = new ArrayList<>();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (KEY_FIELDS.contains(field.getKey()) && value.isTextual()) {
                    replaced.add(Map.entry(field.getKey(), TextNode.valueOf(mask(value.asText()))));
                } else {
                    replaced.add(Map.entry(field.getKey(), redact(value)));
                }
            }
            replaced.forEach(e -> object.set(e.getKey(), e.getValue()));
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, redact(array.get(i)));
            }
            return array;
        }
        if (node.isTextual()) {
            String shown = text(node.asText());
            return shown.equals(node.asText()) ? node : TextNode.valueOf(shown);
        }
        return node;
    }
}
