package io.github.posthogflink.testkit.flags;

import io.github.posthogflink.client.flags.FlagResult;
import io.github.posthogflink.client.flags.local.EvaluationContext;
import io.github.posthogflink.client.flags.local.FlagDefinitions;
import io.github.posthogflink.client.flags.local.InconclusiveMatchException;
import io.github.posthogflink.client.flags.local.LocalFlagEvaluator;
import io.github.posthogflink.testkit.api.CohortRegistry;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.persons.GroupStore;
import io.github.posthogflink.testkit.persons.PersonSnapshot;
import io.github.posthogflink.testkit.persons.PersonStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Server-side evaluation for {@code /flags}: the shared local evaluator over the active flags, with
 * the stored person's and groups' properties (request overrides win). Static cohorts, which local
 * evaluation cannot decide, become a synthetic person property the server knows.
 */
public final class RemoteEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteEvaluator.class);
    private static final String STATIC_COHORT_PROPERTY = "$testkit_static_cohort_";

    private final DefinitionsPayload payload;
    private final PersonStore persons;
    private final GroupStore groups;
    private final CohortRegistry cohorts;
    private final Clock clock;
    private ObjectNode cachedDefinitions;
    private LocalFlagEvaluator cachedEvaluator;

    public RemoteEvaluator(
            DefinitionsPayload payload,
            PersonStore persons,
            GroupStore groups,
            CohortRegistry cohorts,
            Clock clock) {
        this.clock = clock;
        this.payload = payload;
        this.persons = persons;
        this.groups = groups;
        this.cohorts = cohorts;
    }

    /**
     * The outcome of one evaluation: results by key, whether some flag failed, and each matched
     * payload as the flag stores it (a JSON-encoded string, or any JSON value for a flag stored as
     * older PostHog versions did), which {@code /flags} serves as is.
     */
    public record Evaluation(
            Map<String, FlagResult> flags, boolean errors, Map<String, JsonNode> payloads) {}

    public Evaluation evaluate(
            String distinctId,
            Map<String, String> groupKeys,
            Map<String, Object> personOverrides,
            Map<String, Map<String, Object>> groupOverrides,
            Set<String> onlyKeys) {
        ObjectNode definitions = payload.build(true);
        Optional<PersonSnapshot> person = persons.byDistinctId(distinctId);
        Map<String, Object> personProperties = new LinkedHashMap<>();
        person.ifPresent(p -> personProperties.putAll(toMap(p.properties())));
        ArrayNode active = Json.array();
        for (JsonNode flag : definitions.get("flags")) {
            if (!flag.path("active").asBoolean()) {
                continue;
            }
            ObjectNode copy = ((ObjectNode) flag).deepCopy();
            // The server keeps hash-key overrides itself; evaluate plainly.
            copy.put("ensure_experience_continuity", false);
            rewriteStaticCohorts(copy, person, personProperties);
            active.add(copy);
        }
        definitions.set("flags", active);
        personProperties.putAll(personOverrides);
        Map<String, Map<String, Object>> groupProperties = new LinkedHashMap<>();
        groupKeys.forEach(
                (type, key) -> {
                    Map<String, Object> properties = new LinkedHashMap<>();
                    groups.find(type, key).ifPresent(g -> properties.putAll(toMap(g.properties())));
                    properties.putAll(groupOverrides.getOrDefault(type, Map.of()));
                    groupProperties.put(type, properties);
                });
        EvaluationContext context =
                new EvaluationContext(distinctId, groupKeys, personProperties, groupProperties);
        Map<String, FlagResult> results = new LinkedHashMap<>();
        Map<String, JsonNode> payloads = new LinkedHashMap<>();
        boolean errors = false;
        LocalFlagEvaluator evaluator = evaluator(definitions);
        for (JsonNode flag : active) {
            String key = flag.get("key").asText();
            if (onlyKeys != null && !onlyKeys.contains(key)) {
                continue;
            }
            FlagResult result;
            try {
                if (evaluator == null) {
                    throw new IllegalStateException("no evaluator");
                }
                result = evaluator.evaluate(key, context);
            } catch (InconclusiveMatchException e) {
                // The server knows all it will ever know: an undecidable condition does not match.
                result =
                        new FlagResult(
                                key,
                                false,
                                null,
                                new FlagResult.FlagReason(
                                        "no_condition_match", null, "No matching condition set"),
                                null,
                                null);
            } catch (RuntimeException e) {
                LOG.debug("Flag {} failed to evaluate: {}", key, e.toString());
                errors = true;
                result =
                        new FlagResult(
                                key,
                                false,
                                null,
                                new FlagResult.FlagReason("unknown", null, "Evaluation failed"),
                                null,
                                true);
            }
            JsonNode payload = storedPayload(result, flag);
            if (payload != null) {
                payloads.put(key, payload);
            }
            results.put(key, withMetadata(result, flag, payload));
        }
        return new Evaluation(results, errors, payloads);
    }

    /** The evaluator for these definitions, reused while they do not change. */
    private synchronized LocalFlagEvaluator evaluator(ObjectNode definitions) {
        if (cachedEvaluator == null || !definitions.equals(cachedDefinitions)) {
            try {
                cachedEvaluator = new LocalFlagEvaluator(FlagDefinitions.parse(definitions), clock);
                cachedDefinitions = definitions;
            } catch (RuntimeException e) {
                LOG.warn("Flag definitions could not be loaded: {}", e.toString());
                return null;
            }
        }
        return cachedEvaluator;
    }

    /** The matched value's payload as stored ({@code filters.payloads}), or null. */
    private static JsonNode storedPayload(FlagResult result, JsonNode flag) {
        if (!result.enabled()) {
            return null;
        }
        String payloadKey = result.variant() != null ? result.variant() : "true";
        JsonNode value = flag.path("filters").path("payloads").get(payloadKey);
        return value == null || value.isNull() ? null : value;
    }

    /**
     * PostHog's v2 metadata ({@code rust/feature-flags} {@code FlagDetailsMetadata}): id, version,
     * no description (the server sends none), the payload, and {@code has_experiment}.
     */
    private static FlagResult withMetadata(FlagResult result, JsonNode flag, JsonNode payload) {
        FlagResult.FlagMetadata metadata =
                new FlagResult.FlagMetadata(
                        flag.get("id").asLong(),
                        flag.path("version").asInt(1),
                        null,
                        payload == null
                                ? null
                                : (payload.isTextual() ? payload.textValue() : payload.toString()),
                        flag.path("has_experiment").asBoolean(false));
        return new FlagResult(
                result.key(),
                result.enabled(),
                result.variant(),
                result.reason(),
                metadata,
                result.failed());
    }

    private void rewriteStaticCohorts(
            JsonNode node, Optional<PersonSnapshot> person, Map<String, Object> personProperties) {
        if (node.isObject() && "cohort".equals(node.path("type").asText()) && node.has("value")) {
            long id = node.get("value").asLong();
            Optional<ObjectNode> cohort = cohorts.cohort(id);
            if (cohort.isPresent() && cohorts.isStatic(cohort.get())) {
                boolean member =
                        person.map(p -> cohorts.staticMembers(id).contains(p.uuid())).orElse(false);
                String property = STATIC_COHORT_PROPERTY + id;
                personProperties.put(property, member ? "member" : "not_member");
                ObjectNode filter = (ObjectNode) node;
                String operator =
                        "not_in".equals(filter.path("operator").asText()) ? "is_not" : "exact";
                filter.removeAll();
                filter.put("key", property);
                filter.put("type", "person");
                filter.put("operator", operator);
                filter.putArray("value").add("member");
                return;
            }
        }
        node.forEach(child -> rewriteStaticCohorts(child, person, personProperties));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(JsonNode object) {
        return object == null || !object.isObject()
                ? Map.of()
                : Json.MAPPER.convertValue(object, Map.class);
    }
}
