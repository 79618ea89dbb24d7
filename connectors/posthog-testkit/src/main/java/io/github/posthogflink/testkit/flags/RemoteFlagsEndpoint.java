package io.github.posthogflink.testkit.flags;

import io.github.posthogflink.client.flags.FlagResult;
import io.github.posthogflink.testkit.api.JsonBodies;
import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;
import io.github.posthogflink.testkit.quota.QuotaLimits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /flags?v=2} (PostHog's {@code rust/feature-flags}): the v2 shape ({@code flags},
 * {@code errorsWhileComputingFlags}, {@code requestId}, {@code evaluatedAt}); without {@code v=2}
 * the legacy shape ({@code featureFlags}, {@code featureFlagPayloads}). {@code config=true} merges
 * the project's remote config into the answer's top level; a project whose feature flag quota is
 * spent gets no flag and {@code "quotaLimited": ["feature_flags"]}.
 */
public final class RemoteFlagsEndpoint {
    private final RemoteEvaluator evaluator;
    private final String projectApiKey;
    private final Clock clock;
    private final QuotaLimits quota;

    public RemoteFlagsEndpoint(
            RemoteEvaluator evaluator, String projectApiKey, Clock clock, QuotaLimits quota) {
        this.evaluator = evaluator;
        this.projectApiKey = projectApiKey;
        this.clock = clock;
        this.quota = quota;
    }

    public void register(Router router) {
        router.post("/flags/?", this::flags);
        router.post("/decide/?", this::flags);
    }

    private Response flags(Request request) {
        ObjectNode body = JsonBodies.object(request);
        String token = firstText(body, "api_key", "token", "$token");
        if (token == null) {
            token = request.queryParam("token");
        }
        if (token == null || !token.equals(projectApiKey)) {
            throw new ApiError(
                    401,
                    "authentication_error",
                    "invalid_api_key",
                    "Project API key invalid. You can find your project API key in your PostHog"
                            + " project settings.",
                    null);
        }
        JsonNode distinctIdNode = body.get("distinct_id");
        if (distinctIdNode == null
                || distinctIdNode.isNull()
                || distinctIdNode.asText().isEmpty()) {
            throw ApiError.invalidInput("The distinct_id field is missing", "distinct_id");
        }
        String version = request.queryParam("v");
        boolean v2 = version != null && version.matches("\\d+") && Integer.parseInt(version) >= 2;
        if (quota.isLimited(QuotaLimits.Resource.FEATURE_FLAGS)) {
            // rust/feature-flags check_limits: no flag, no config, the spent quota named.
            RemoteEvaluator.Evaluation none =
                    new RemoteEvaluator.Evaluation(Map.of(), false, Map.of());
            ObjectNode limited = v2 ? v2(none) : legacy(none);
            limited.putArray("quotaLimited").add(QuotaLimits.Resource.FEATURE_FLAGS.wireName());
            return Response.json(200, limited);
        }
        Set<String> only = null;
        if (body.path("flag_keys_to_evaluate").isArray()) {
            only = new LinkedHashSet<>();
            for (JsonNode key : body.get("flag_keys_to_evaluate")) {
                only.add(key.asText());
            }
        }
        Map<String, String> groups = new LinkedHashMap<>();
        body.path("groups")
                .fields()
                .forEachRemaining(e -> groups.put(e.getKey(), e.getValue().asText()));
        Map<String, Map<String, Object>> groupProperties = new LinkedHashMap<>();
        body.path("group_properties")
                .fields()
                .forEachRemaining(
                        e -> groupProperties.put(e.getKey(), RemoteEvaluator.toMap(e.getValue())));
        RemoteEvaluator.Evaluation evaluation =
                evaluator.evaluate(
                        cut(distinctIdNode.asText()),
                        groups,
                        RemoteEvaluator.toMap(body.get("person_properties")),
                        groupProperties,
                        only);
        ObjectNode answer = v2 ? v2(evaluation) : legacy(evaluation);
        if (isTrue(request.queryParam("config"))) {
            answer.setAll(RemoteConfig.forProject(!evaluation.flags().isEmpty()));
        }
        return Response.json(200, answer);
    }

    /** As {@code rust/feature-flags} reads optional boolean query parameters. */
    private static boolean isTrue(String value) {
        return value != null && (value.equalsIgnoreCase("true") || value.equals("1"));
    }

    private ObjectNode v2(RemoteEvaluator.Evaluation evaluation) {
        ObjectNode response = Json.object();
        ObjectNode flags = response.putObject("flags");
        evaluation
                .flags()
                .forEach(
                        (key, result) ->
                                flags.set(key, render(result, evaluation.payloads().get(key))));
        response.put("errorsWhileComputingFlags", evaluation.errors());
        response.put("requestId", UUID.randomUUID().toString());
        response.put("evaluatedAt", clock.millis());
        return response;
    }

    /** One flag as {@code FlagDetails}: {@code failed} only when true, the payload as stored. */
    private static ObjectNode render(FlagResult result, JsonNode payload) {
        ObjectNode flag = Json.object();
        flag.put("key", result.key());
        flag.put("enabled", result.enabled());
        flag.put("variant", result.variant());
        ObjectNode reason = flag.putObject("reason");
        FlagResult.FlagReason why = result.reason();
        reason.put("code", why == null ? "unknown" : why.code());
        if (why == null || why.conditionIndex() == null) {
            reason.putNull("condition_index");
        } else {
            reason.put("condition_index", why.conditionIndex());
        }
        if (why != null && why.description() != null) {
            reason.put("description", why.description());
        }
        ObjectNode metadata = flag.putObject("metadata");
        FlagResult.FlagMetadata meta = result.metadata();
        metadata.put("id", meta.id());
        metadata.put("version", meta.version());
        metadata.put("description", meta.description());
        metadata.set("payload", payload == null ? Json.MAPPER.nullNode() : payload);
        metadata.put("has_experiment", Boolean.TRUE.equals(meta.hasExperiment()));
        if (Boolean.TRUE.equals(result.failed())) {
            flag.put("failed", true);
        }
        return flag;
    }

    private ObjectNode legacy(RemoteEvaluator.Evaluation evaluation) {
        ObjectNode response = Json.object();
        ObjectNode values = response.putObject("featureFlags");
        ObjectNode payloads = response.putObject("featureFlagPayloads");
        evaluation
                .flags()
                .forEach(
                        (key, result) -> {
                            values.set(key, Json.valueToTree(result.value()));
                            JsonNode payload = evaluation.payloads().get(key);
                            if (payload != null) {
                                payloads.set(key, payload);
                            }
                        });
        response.put("errorsWhileComputingFlags", evaluation.errors());
        response.put("requestId", UUID.randomUUID().toString());
        response.put("evaluatedAt", clock.millis());
        return response;
    }

    /** PostHog keeps the first 200 characters of a distinct id. */
    private static String cut(String distinctId) {
        return distinctId.codePointCount(0, distinctId.length()) <= 200
                ? distinctId
                : distinctId.substring(0, distinctId.offsetByCodePoints(0, 200));
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value != null && value.isTextual() && !value.asText().isEmpty()) {
                return value.asText();
            }
        }
        return null;
    }
}
