package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Session recordings, seeded from Java: list, retrieve and delete over HTTP. */
public final class SessionRecordingsApi {
    private static final String BASE = Router.PROJECT + "/session_recordings";

    /** SessionRecordingListFromFilters.SESSION_RECORDINGS_DEFAULT_LIMIT. */
    private static final int DEFAULT_LIMIT = 50;

    private final ApiAuth auth;
    private final Map<String, ObjectNode> recordings = new LinkedHashMap<>();

    public SessionRecordingsApi(ApiAuth auth) {
        this.auth = auth;
    }

    public void register(Router router) {
        router.get(BASE + "/?", this::list);
        router.get(BASE + "/(?<id>[^/]+)/?", this::retrieve);
        router.delete(BASE + "/(?<id>[^/]+)/?", this::delete);
    }

    /** Adds a recording; {@code id} is required, PostHog's other fields get defaults. */
    public synchronized ObjectNode seed(ObjectNode recording) {
        if (!recording.hasNonNull("id")) {
            throw new IllegalArgumentException("a session recording needs an id");
        }
        ObjectNode stored = Json.object();
        stored.put("distinct_id", (String) null);
        stored.put("viewed", false);
        stored.put("recording_duration", 0);
        stored.put("start_time", (String) null);
        stored.put("end_time", (String) null);
        stored.put("click_count", 0);
        stored.put("keypress_count", 0);
        stored.put("console_error_count", 0);
        stored.put("start_url", (String) null);
        stored.setAll(recording.deepCopy());
        recordings.put(recording.get("id").asText(), stored);
        return stored.deepCopy();
    }

    private synchronized Response list(Request request) {
        auth.requireProject(request);
        // As session_recording_api.py answers: results and has_next, paged by limit and offset,
        // without count or links.
        int limit = Pagination.intParam(request, "limit", DEFAULT_LIMIT);
        int offset = Pagination.intParam(request, "offset", 0);
        List<ObjectNode> all = new ArrayList<>(recordings.values());
        int from = Math.min(offset, all.size());
        int to = Math.min(all.size(), from + limit);
        ObjectNode page = Json.object();
        ArrayNode results = page.putArray("results");
        all.subList(from, to).forEach(r -> results.add(r.deepCopy()));
        page.put("has_next", to < all.size());
        page.put("version", 4);
        return Response.json(200, page);
    }

    private synchronized Response retrieve(Request request) {
        auth.requireProject(request);
        ObjectNode recording = recordings.get(request.pathGroup("id"));
        if (recording == null) {
            throw ApiError.notFound();
        }
        return Response.json(200, recording.deepCopy());
    }

    private synchronized Response delete(Request request) {
        auth.requireProject(request);
        if (recordings.remove(request.pathGroup("id")) == null) {
            throw ApiError.notFound();
        }
        return Response.empty(204);
    }

    public synchronized void clear() {
        recordings.clear();
    }
}
