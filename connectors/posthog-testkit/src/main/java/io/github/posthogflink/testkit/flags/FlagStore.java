package io.github.posthogflink.testkit.flags;

import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feature flags in PostHog's model ({@code posthog/models/feature_flag}): key unique among live
 * flags, {@code version} bumped on every change, soft delete.
 */
public final class FlagStore {
    private final Map<Long, ObjectNode> flags = new TreeMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Clock clock;
    private final long projectId;
    private final ObjectNode createdBy;

    public FlagStore(Clock clock, long projectId, ObjectNode createdBy) {
        this.clock = clock;
        this.projectId = projectId;
        this.createdBy = createdBy;
    }

    public synchronized ObjectNode create(ObjectNode body) {
        return create(body, true);
    }

    /**
     * Creates a flag; {@code normalizePayloads} false keeps non-string payload values as sent, as
     * PostHog stored them before its serializer turned them into JSON-encoded strings (such flags
     * still exist, and {@code /flags} serves their payloads as JSON values).
     */
    public synchronized ObjectNode create(ObjectNode body, boolean normalizePayloads) {
        FlagValidation.validateCreate(body);
        String key = body.get("key").asText();
        if (liveByKey(key).isPresent()) {
            throw new ApiError(
                    400,
                    "validation_error",
                    "unique",
                    "There is already a feature flag with this key.",
                    "key");
        }
        long id = ids.incrementAndGet();
        String now = Json.time(clock.instant());
        ObjectNode flag = Json.object();
        flag.put("id", id);
        flag.put("team_id", projectId);
        flag.put("name", body.path("name").asText(""));
        flag.put("key", key);
        flag.set(
                "filters",
                FlagValidation.normalizedFilters(body.get("filters"), normalizePayloads));
        flag.put("deleted", false);
        flag.put("active", body.path("active").asBoolean(true));
        flag.set("created_by", createdBy.deepCopy());
        flag.put("created_at", now);
        flag.put("updated_at", now);
        flag.put("version", 1);
        flag.putNull("last_modified_by");
        flag.put(
                "ensure_experience_continuity",
                body.path("ensure_experience_continuity").asBoolean(false));
        flag.putArray("experiment_set");
        flag.putArray("surveys");
        flag.putArray("features");
        flag.putNull("rollback_conditions");
        flag.put("performed_rollback", false);
        flag.put("can_edit", true);
        flag.set("tags", body.has("tags") ? body.get("tags") : Json.array());
        flag.set(
                "evaluation_tags",
                body.has("evaluation_tags") ? body.get("evaluation_tags") : Json.array());
        flag.putNull("usage_dashboard");
        flag.putArray("analytics_dashboards");
        flag.put("has_enriched_analytics", false);
        flag.put("user_access_level", "editor");
        flag.put("creation_context", "feature_flags");
        flag.put("is_remote_configuration", body.path("is_remote_configuration").asBoolean(false));
        flag.put("has_encrypted_payloads", false);
        flag.put("evaluation_runtime", body.path("evaluation_runtime").asText("all"));
        flags.put(id, flag);
        return derived(flag);
    }

    /** Applies a PATCH; returns the updated flag, or empty when there is no such flag. */
    public synchronized Optional<ObjectNode> update(long id, ObjectNode patch) {
        ObjectNode flag = flags.get(id);
        if (flag == null) {
            return Optional.empty();
        }
        if (patch.has("key")) {
            FlagValidation.validateKey(patch.get("key"));
            String key = patch.get("key").asText();
            Optional<ObjectNode> other = liveByKey(key);
            if (other.isPresent() && other.get().get("id").asLong() != id) {
                throw new ApiError(
                        400,
                        "validation_error",
                        "unique",
                        "There is already a feature flag with this key.",
                        "key");
            }
            flag.put("key", key);
        }
        if (patch.has("filters")) {
            flag.set("filters", FlagValidation.normalizedFilters(patch.get("filters"), true));
        }
        for (String field :
                List.of(
                        "name",
                        "active",
                        "deleted",
                        "ensure_experience_continuity",
                        "tags",
                        "evaluation_tags",
                        "evaluation_runtime",
                        "is_remote_configuration")) {
            if (patch.has(field)) {
                flag.set(field, patch.get(field));
            }
        }
        flag.put("version", flag.path("version").asInt(1) + 1);
        flag.put("updated_at", Json.time(clock.instant()));
        return Optional.of(derived(flag));
    }

    public synchronized Optional<ObjectNode> get(long id) {
        ObjectNode flag = flags.get(id);
        return flag == null ? Optional.empty() : Optional.of(derived(flag));
    }

    /** All flags, deleted ones included, in id order. */
    public synchronized List<ObjectNode> all() {
        List<ObjectNode> result = new ArrayList<>();
        flags.values().forEach(f -> result.add(derived(f)));
        return result;
    }

    public synchronized Optional<ObjectNode> liveByKey(String key) {
        return flags.values().stream()
                .filter(f -> !f.path("deleted").asBoolean() && key.equals(f.path("key").asText()))
                .findFirst()
                .map(this::derived);
    }

    /** The live flag with this key, else the newest deleted one (remote config finds those too). */
    public synchronized Optional<ObjectNode> byKey(String key) {
        Optional<ObjectNode> live = liveByKey(key);
        if (live.isPresent()) {
            return live;
        }
        ObjectNode newest = null;
        for (ObjectNode flag : flags.values()) {
            if (key.equals(flag.path("key").asText())) {
                newest = flag;
            }
        }
        return Optional.ofNullable(newest).map(this::derived);
    }

    public synchronized void clear() {
        flags.clear();
        ids.set(0);
    }

    /** A copy with the computed fields PostHog's serializer adds. */
    private ObjectNode derived(ObjectNode flag) {
        ObjectNode copy = flag.deepCopy();
        JsonNode groups = copy.path("filters").path("groups");
        boolean simple =
                groups.size() == 1
                        && groups.get(0).path("properties").isEmpty()
                        && copy.path("filters").path("multivariate").isNull()
                        && copy.path("filters")
                                .path("aggregation_group_type_index")
                                .isMissingNode();
        copy.put("is_simple_flag", simple);
        JsonNode rollout = simple ? groups.get(0).get("rollout_percentage") : null;
        if (rollout == null || rollout.isNull()) {
            copy.putNull("rollout_percentage");
        } else {
            copy.set("rollout_percentage", rollout);
        }
        String status =
                copy.path("deleted").asBoolean()
                        ? "DELETED"
                        : (copy.path("active").asBoolean() ? "ACTIVE" : "INACTIVE");
        copy.put("status", status);
        return copy;
    }
}
