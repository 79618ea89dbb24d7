package io.github.posthogflink.client.flags.local;

import io.github.posthogflink.client.flags.local.FilterNode.CohortCheck;
import io.github.posthogflink.client.flags.local.FilterNode.FlagDependencyCheck;
import io.github.posthogflink.client.flags.local.FilterNode.Group;
import io.github.posthogflink.client.flags.local.FilterNode.Malformed;
import io.github.posthogflink.client.flags.local.FilterNode.PropertyCheck;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Turns the JSON of flags and cohorts into compiled {@link FlagDefinition}s and filters. */
final class DefinitionParser {
    private DefinitionParser() {}

    static FlagDefinition parseFlag(JsonNode flag) {
        JsonNode filters = flag.path("filters");
        Integer aggregation = optionalInt(filters.get("aggregation_group_type_index"));
        List<FlagDefinition.Condition> conditions = new ArrayList<>();
        for (JsonNode condition : filters.path("groups")) {
            conditions.add(parseCondition(condition, aggregation));
        }
        List<FlagDefinition.Variant> variants = new ArrayList<>();
        double min = 0;
        for (JsonNode variant : filters.path("multivariate").path("variants")) {
            double max = min + variant.path("rollout_percentage").asDouble() / 100;
            variants.add(new FlagDefinition.Variant(variant.path("key").asText(), min, max));
            min = max;
        }
        Map<String, String> payloads = new LinkedHashMap<>();
        filters.path("payloads")
                .fields()
                .forEachRemaining(
                        e -> {
                            JsonNode payload = e.getValue();
                            if (payload != null && !payload.isNull()) {
                                payloads.put(
                                        e.getKey(),
                                        payload.isTextual()
                                                ? payload.textValue()
                                                : payload.toString());
                            }
                        });
        String bucketing = text(flag.get("bucketing_identifier"));
        if (bucketing == null) {
            bucketing = text(filters.get("bucketing_identifier"));
        }
        JsonNode version = flag.get("version");
        return new FlagDefinition(
                flag.path("key").asText(),
                flag.hasNonNull("id") ? flag.get("id").asLong() : null,
                version != null && version.isNumber() ? version.asInt() : null,
                PythonValues.truthy(flag.get("active"))
                        && !PythonValues.truthy(flag.get("deleted")),
                PythonValues.truthy(flag.get("ensure_experience_continuity")),
                aggregation,
                "device_id".equals(bucketing),
                PythonValues.truthy(filters.get("early_exit")),
                conditions,
                variants,
                payloads);
    }

    private static FlagDefinition.Condition parseCondition(
            JsonNode condition, Integer flagAggregation) {
        List<FilterNode> properties = new ArrayList<>();
        for (JsonNode property : condition.path("properties")) {
            String type = text(property.get("type"));
            if ("cohort".equals(type)) {
                properties.add(cohortCheck(property));
            } else if ("flag".equals(type)) {
                properties.add(flagDependency(property));
            } else {
                properties.add(propertyCheck(property));
            }
        }
        JsonNode rollout = condition.get("rollout_percentage");
        Integer aggregation =
                condition.has("aggregation_group_type_index")
                        ? optionalInt(condition.get("aggregation_group_type_index"))
                        : flagAggregation;
        JsonNode variant = condition.get("variant");
        return new FlagDefinition.Condition(
                properties,
                rollout == null || rollout.isNull() ? null : rollout.asDouble(),
                PythonValues.truthy(variant) ? variant.asText() : null,
                aggregation);
    }

    /** A cohort's property group, as {@code match_property_group} reads it. */
    static FilterNode parseGroup(JsonNode group) {
        if (group == null || !group.isObject()) {
            return new Malformed("Cohort property group must be an object");
        }
        if (group.isEmpty()) {
            return new Group(true, List.of());
        }
        String type = text(group.get("type"));
        if (!"AND".equals(type) && !"OR".equals(type)) {
            return new Malformed("Cohort property group type must be AND or OR");
        }
        JsonNode values = group.get("values");
        if (values == null || !values.isArray()) {
            return new Malformed("Cohort property group values must be a list");
        }
        List<FilterNode> entries = new ArrayList<>();
        for (JsonNode entry : values) {
            entries.add(parseGroupEntry(entry));
        }
        return new Group("AND".equals(type), Collections.unmodifiableList(entries));
    }

    private static FilterNode parseGroupEntry(JsonNode entry) {
        if (!entry.isObject()) {
            return new Malformed("Cohort property group entry must be an object");
        }
        String type = text(entry.get("type"));
        if (entry.isEmpty() || entry.has("values") || "AND".equals(type) || "OR".equals(type)) {
            return parseGroup(entry);
        }
        if ("cohort".equals(type)) {
            return cohortCheck(entry);
        }
        if ("flag".equals(type)) {
            return flagDependency(entry);
        }
        return propertyCheck(entry);
    }

    private static CohortCheck cohortCheck(JsonNode property) {
        String operator = text(property.get("operator"));
        return new CohortCheck(
                PythonValues.str(PythonValues.fromJson(property.get("value"))),
                operator == null || operator.isEmpty() ? "exact" : operator,
                PythonValues.truthy(property.get("negation")));
    }

    private static FlagDependencyCheck flagDependency(JsonNode property) {
        List<String> chain = null;
        JsonNode chainNode = property.get("dependency_chain");
        if (property.has("dependency_chain")) {
            chain = new ArrayList<>();
            if (chainNode != null) {
                for (JsonNode member : chainNode) {
                    chain.add(member.asText());
                }
            }
            chain = Collections.unmodifiableList(chain);
        }
        JsonNode operator = property.get("operator");
        return new FlagDependencyCheck(
                text(property.get("key")),
                operator == null || operator.isNull() ? "exact" : operator.asText(),
                PythonValues.fromJson(property.get("value")),
                chain,
                PythonValues.truthy(property.get("negation")));
    }

    static PropertyCheck propertyCheck(JsonNode property) {
        String operatorName = text(property.get("operator"));
        PropertyOperator operator = PropertyOperator.fromWire(operatorName);
        Object value = PythonValues.fromJson(property.get("value"));
        String valueString = PythonValues.str(value);
        String foldedValue = PythonValues.casefold(valueString);
        Set<String> foldedChoices = null;
        if (value instanceof List<?> list) {
            foldedChoices = new HashSet<>();
            for (Object choice : list) {
                foldedChoices.add(PythonValues.casefold(PythonValues.str(choice)));
            }
            foldedChoices = Set.copyOf(foldedChoices);
        }
        Pattern regex = null;
        if (operator == PropertyOperator.REGEX || operator == PropertyOperator.NOT_REGEX) {
            regex = compilePythonRegex(valueString);
        }
        Double number = null;
        if (operator == PropertyOperator.GT
                || operator == PropertyOperator.GTE
                || operator == PropertyOperator.LT
                || operator == PropertyOperator.LTE) {
            number = PythonValues.toFloat(value);
        }
        FlagDates.FlagDate date = null;
        if (operator == PropertyOperator.IS_DATE_BEFORE
                || operator == PropertyOperator.IS_DATE_AFTER) {
            date = FlagDates.parseFlagValue(valueString);
        }
        Semver semver = null;
        Semver.Range range = null;
        if (operator.isSemverComparison()) {
            semver = Semver.parse(valueString);
        } else if (operator == PropertyOperator.SEMVER_TILDE) {
            range = Semver.tilde(valueString);
        } else if (operator == PropertyOperator.SEMVER_CARET) {
            range = Semver.caret(valueString);
        } else if (operator == PropertyOperator.SEMVER_WILDCARD) {
            range = Semver.wildcard(valueString);
        }
        return new PropertyCheck(
                text(property.get("key")),
                operatorName,
                operator,
                value,
                PythonValues.truthy(property.get("negation")),
                valueString,
                foldedValue,
                foldedChoices,
                regex,
                number,
                date,
                semver,
                range);
    }

    /** Compiles a Python {@code re} pattern as Java; null when it is not a valid regex. */
    static Pattern compilePythonRegex(String pythonPattern) {
        String javaPattern =
                pythonPattern
                        .replace("(?P<", "(?<")
                        .replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>")
                        .replace("\\Z", "\\z");
        try {
            return Pattern.compile(javaPattern, Pattern.UNICODE_CHARACTER_CLASS);
        } catch (PatternSyntaxException e) {
            return null;
        }
    }

    private static Integer optionalInt(JsonNode node) {
        return node == null || node.isNull() ? null : node.asInt();
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
