package io.github.posthogflink.testkit.persons;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Matches PostHog property filters ({@code {"key","value","operator","type"}}, a list of them
 * (AND), or {@code {"type":"AND"|"OR","values":[...]}}) against a properties object. Operators:
 * exact, is_not, icontains, not_icontains, regex, not_regex, gt, gte, lt, lte, is_set, is_not_set.
 * Filters of type {@code cohort} are decided by {@code cohortMember}.
 */
public final class PropertyFilters {
    private PropertyFilters() {}

    public static boolean matches(
            JsonNode filters, JsonNode properties, Predicate<Long> cohortMember) {
        if (filters == null || filters.isNull() || filters.isMissingNode()) {
            return true;
        }
        if (filters.isArray()) {
            for (JsonNode filter : filters) {
                if (!matches(filter, properties, cohortMember)) {
                    return false;
                }
            }
            return true;
        }
        if (filters.has("values") && !filters.has("key")) {
            boolean or = "OR".equalsIgnoreCase(filters.path("type").asText("AND"));
            List<JsonNode> values = new ArrayList<>();
            filters.get("values").forEach(values::add);
            if (values.isEmpty()) {
                return true;
            }
            for (JsonNode value : values) {
                boolean match = matches(value, properties, cohortMember);
                if (or && match) {
                    return true;
                }
                if (!or && !match) {
                    return false;
                }
            }
            return !or;
        }
        return matchesOne(filters, properties, cohortMember);
    }

    private static boolean matchesOne(
            JsonNode filter, JsonNode properties, Predicate<Long> cohortMember) {
        String operator = filter.path("operator").asText("exact");
        if ("cohort".equals(filter.path("type").asText())) {
            boolean member = cohortMember.test(filter.path("value").asLong());
            return "not_in".equals(operator) != member;
        }
        JsonNode actual = properties.get(filter.path("key").asText());
        boolean present = actual != null && !actual.isNull();
        JsonNode expected = filter.get("value");
        switch (operator) {
            case "is_set":
                return present;
            case "is_not_set":
                return !present;
            case "is_not":
            case "not_icontains":
            case "not_regex":
                String positive =
                        switch (operator) {
                            case "is_not" -> "exact";
                            case "not_icontains" -> "icontains";
                            default -> "regex";
                        };
                return !present || !positive(positive, actual, expected);
            default:
                return present && positive(operator, actual, expected);
        }
    }

    private static boolean positive(String operator, JsonNode actual, JsonNode expected) {
        String text = actual.isTextual() ? actual.asText() : actual.toString();
        List<JsonNode> candidates = new ArrayList<>();
        if (expected != null && expected.isArray()) {
            expected.forEach(candidates::add);
        } else if (expected != null) {
            candidates.add(expected);
        }
        for (JsonNode candidate : candidates) {
            String want = candidate.isTextual() ? candidate.asText() : candidate.toString();
            boolean match =
                    switch (operator) {
                        case "exact" -> text.equalsIgnoreCase(want);
                        case "icontains" ->
                                text.toLowerCase(Locale.ROOT)
                                        .contains(want.toLowerCase(Locale.ROOT));
                        case "regex" -> regex(want, text);
                        case "gt", "gte", "lt", "lte" -> compare(operator, text, want);
                        default -> false;
                    };
            if (match) {
                return true;
            }
        }
        return false;
    }

    private static boolean regex(String pattern, String text) {
        try {
            return Pattern.compile(pattern).matcher(text).find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    private static boolean compare(String operator, String actual, String expected) {
        int cmp;
        try {
            cmp = Double.compare(Double.parseDouble(actual), Double.parseDouble(expected));
        } catch (NumberFormatException e) {
            cmp = actual.compareTo(expected);
        }
        return switch (operator) {
            case "gt" -> cmp > 0;
            case "gte" -> cmp >= 0;
            case "lt" -> cmp < 0;
            default -> cmp <= 0;
        };
    }
}
