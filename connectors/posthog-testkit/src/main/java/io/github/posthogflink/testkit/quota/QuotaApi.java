package io.github.posthogflink.testkit.quota;

import io.github.posthogflink.testkit.api.JsonBodies;
import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /_testkit/quota}: the project's spent billing quotas over HTTP, for tests that run the
 * standalone jar (in-process tests use {@code seed().quotaLimit(...)}). {@code GET} answers {@code
 * {"limited": ["events", ...]}}; {@code POST {"limited": [...]}} replaces the set with these
 * resources, named as PostHog's quota limiter names them ({@code events}, {@code feature_flags});
 * {@code []} lifts every limit, as {@code /_testkit/reset} does.
 */
public final class QuotaApi {
    private final QuotaLimits quota;

    public QuotaApi(QuotaLimits quota) {
        this.quota = quota;
    }

    public void register(Router router) {
        router.get("/_testkit/quota/?", r -> Response.json(200, render()));
        router.post(
                "/_testkit/quota/?",
                r -> {
                    quota.set(parse(JsonBodies.object(r)));
                    return Response.json(200, render());
                });
    }

    static Set<QuotaLimits.Resource> parse(ObjectNode body) {
        JsonNode limited = body.get("limited");
        if (limited == null || !limited.isArray()) {
            throw ApiError.invalidInput(
                    "\"limited\" must be a list of the resources over their quota, e.g."
                            + " [\"feature_flags\"] (or [] to lift every limit)",
                    "limited");
        }
        Set<QuotaLimits.Resource> resources = EnumSet.noneOf(QuotaLimits.Resource.class);
        List<String> unknown = new ArrayList<>();
        for (JsonNode name : limited) {
            QuotaLimits.Resource resource = QuotaLimits.Resource.fromWireName(name.asText());
            if (resource == null) {
                unknown.add(name.toString());
            } else {
                resources.add(resource);
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiError.invalidInput(
                    "unknown quota resources "
                            + unknown
                            + "; the testkit limits "
                            + QuotaLimits.Resource.wireNames(),
                    "limited");
        }
        return resources;
    }

    private ObjectNode render() {
        ObjectNode body = Json.object();
        quota.limited().forEach(r -> body.withArray("limited").add(r.wireName()));
        body.withArray("limited");
        return body;
    }
}
