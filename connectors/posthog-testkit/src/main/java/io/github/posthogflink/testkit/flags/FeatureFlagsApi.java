package io.github.posthogflink.testkit.flags;

import io.github.posthogflink.testkit.api.ApiAuth;
import io.github.posthogflink.testkit.api.DeletePolicy;
import io.github.posthogflink.testkit.api.JsonBodies;
import io.github.posthogflink.testkit.api.Pagination;
import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/projects/:id/feature_flags/}: list (filters {@code active}, {@code type}, {@code
 * search}, {@code tags}), create, retrieve, PATCH. DELETE is PostHog's bare 405 ({@code
 * ForbidDestroyModel}); {@code PATCH {"deleted": true}} soft-deletes: the list hides the flag,
 * retrieve still shows it. {@code GET :id_or_key/remote_config/} answers a remote-configuration
 * flag's payload.
 */
public final class FeatureFlagsApi {
    private static final String BASE = Router.PROJECT + "/feature_flags";

    private final FlagStore flags;
    private final ApiAuth auth;
    private final DefinitionsPayload definitions;
    private final String secretApiKey;

    /**
     * @param secretApiKey the project secret API key ({@code phs_...}), which {@code remote_config}
     *     accepts besides the personal key
     */
    public FeatureFlagsApi(
            FlagStore flags, ApiAuth auth, DefinitionsPayload definitions, String secretApiKey) {
        this.flags = flags;
        this.auth = auth;
        this.definitions = definitions;
        this.secretApiKey = secretApiKey;
    }

    public void register(Router router) {
        router.get(BASE + "/?", this::list);
        router.post(BASE + "/?", this::create);
        router.get(BASE + "/local_evaluation/?", this::localEvaluation);
        router.get(BASE + "/(?<idOrKey>[^/]+)/remote_config/?", this::remoteConfig);
        router.get(BASE + "/(?<id>\\d+)/?", this::retrieve);
        router.patch(BASE + "/(?<id>\\d+)/?", this::update);
        router.delete(BASE + "/(?<id>\\d+)/?", this::delete);
    }

    private Response list(Request request) {
        auth.requireProject(request);
        String active = request.queryParam("active");
        String type = request.queryParam("type");
        String search = request.queryParam("search");
        Set<String> tags = tags(request.queryParam("tags"));
        List<ObjectNode> items =
                flags.all().stream()
                        .filter(f -> !f.path("deleted").asBoolean())
                        .filter(f -> active == null || activeMatches(f, active))
                        .filter(f -> type == null || typeMatches(f, type))
                        .filter(f -> search == null || searchMatches(f, search))
                        .filter(f -> tags.isEmpty() || hasAnyTag(f, tags))
                        .collect(
                                java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
        java.util.Collections.reverse(items);
        return Response.json(200, Pagination.page(request, items));
    }

    private static boolean activeMatches(ObjectNode flag, String active) {
        if ("STALE".equalsIgnoreCase(active)) {
            return false;
        }
        return flag.path("active").asBoolean() == Boolean.parseBoolean(active);
    }

    private static boolean typeMatches(ObjectNode flag, String type) {
        boolean multivariate = flag.path("filters").path("multivariate").isObject();
        boolean experiment = !flag.path("experiment_set").isEmpty();
        boolean remoteConfig = flag.path("is_remote_configuration").asBoolean();
        return switch (type) {
            case "boolean" -> !multivariate && !remoteConfig;
            case "multivariant" -> multivariate;
            case "experiment" -> experiment;
            case "remote_config" -> remoteConfig;
            default -> true;
        };
    }

    private static boolean searchMatches(ObjectNode flag, String search) {
        String needle = search.toLowerCase(Locale.ROOT);
        return flag.path("key").asText().toLowerCase(Locale.ROOT).contains(needle)
                || flag.path("name").asText().toLowerCase(Locale.ROOT).contains(needle);
    }

    private static boolean hasAnyTag(ObjectNode flag, Set<String> tags) {
        for (JsonNode tag : flag.path("tags")) {
            if (tags.contains(tag.asText())) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> tags(String text) {
        Set<String> result = new HashSet<>();
        if (text == null || text.isEmpty()) {
            return result;
        }
        try {
            JsonNode parsed = Json.parse(text);
            if (parsed.isArray()) {
                parsed.forEach(t -> result.add(t.asText()));
                return result;
            }
        } catch (IOException e) {
            // A plain comma-separated list.
        }
        for (String tag : text.split(",")) {
            result.add(tag.trim());
        }
        return result;
    }

    private Response create(Request request) {
        auth.requireProject(request);
        return Response.json(201, flags.create(JsonBodies.object(request)));
    }

    private Response retrieve(Request request) {
        auth.requireProject(request);
        return Response.json(200, flags.get(id(request)).orElseThrow(ApiError::notFound));
    }

    private Response update(Request request) {
        auth.requireProject(request);
        ObjectNode patch = JsonBodies.object(request);
        return Response.json(200, flags.update(id(request), patch).orElseThrow(ApiError::notFound));
    }

    private Response delete(Request request) {
        auth.requireProject(request);
        return DeletePolicy.forbiddenDestroy();
    }

    private Response localEvaluation(Request request) {
        auth.requireProject(request);
        return Response.json(200, definitions.build(request.hasQueryParam("send_cohorts")));
    }

    /**
     * As {@code remote_config} in {@code posthog/api/feature_flag.py}: the flag by id (all digits)
     * or key, deleted ones included; a bare 404 when there is none or it is not a remote
     * configuration flag; else its {@code "true"} payload as stored, or null when that is empty.
     */
    private Response remoteConfig(Request request) {
        auth.requireProject(request, secretApiKey);
        String idOrKey = request.pathGroup("idOrKey");
        Optional<ObjectNode> flag =
                idOrKey.chars().allMatch(Character::isDigit)
                        ? flags.get(Long.parseLong(idOrKey))
                        : flags.byKey(idOrKey);
        if (flag.isEmpty() || !flag.get().path("is_remote_configuration").asBoolean()) {
            return Response.empty(404);
        }
        JsonNode payload = flag.get().path("filters").path("payloads").get("true");
        return Response.json(200, isFalsy(payload) ? Json.MAPPER.nullNode() : payload);
    }

    /** Python's falsiness, as {@code payloads.get("true") or None} applies it. */
    private static boolean isFalsy(JsonNode value) {
        if (value == null || value.isNull()) {
            return true;
        }
        if (value.isTextual()) {
            return value.textValue().isEmpty();
        }
        if (value.isNumber()) {
            return value.doubleValue() == 0;
        }
        if (value.isBoolean()) {
            return !value.booleanValue();
        }
        return value.isEmpty();
    }

    private static long id(Request request) {
        return Long.parseLong(request.pathGroup("id"));
    }
}
