package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;

/**
 * One async query's state, rendered as PostHog's {@code query_status} ({@code
 * posthog/clickhouse/client/execute_async.py}): {@code complete} only once it succeeded; a failed
 * query stays incomplete with {@code error} set, and {@code error_message} when the error may be
 * shown to the user. The status lives 10 minutes after its last change ({@code
 * STATUS_TTL_SECONDS}).
 */
final class QueryStatus {
    static final Duration TTL = Duration.ofMinutes(10);

    final String id;
    final long teamId;
    final Instant startTime;
    volatile boolean complete;
    volatile boolean error;
    volatile String errorMessage;
    volatile ObjectNode results;
    volatile Instant endTime;
    volatile Instant storedAt;
    volatile Future<?> future;

    QueryStatus(String id, long teamId, Instant startTime) {
        this.id = id;
        this.teamId = teamId;
        this.startTime = startTime;
        this.storedAt = startTime;
    }

    boolean expired(Instant now) {
        return now.isAfter(storedAt.plus(TTL));
    }

    /** Whether a GET answers it as 202 (still running): neither done nor failed. */
    boolean running() {
        return !complete && !error;
    }

    ObjectNode render() {
        ObjectNode status = Json.object();
        status.put("id", id);
        status.put("team_id", teamId);
        status.putNull("insight_id");
        status.putNull("dashboard_id");
        status.put("query_async", true);
        status.put("complete", complete);
        status.put("error", error);
        status.put("error_message", errorMessage);
        status.set("results", results);
        status.put("start_time", Json.time(startTime));
        status.put("pickup_time", Json.time(startTime));
        status.put("end_time", Json.time(endTime));
        status.put("expiration_time", endTime == null ? null : Json.time(endTime.plus(TTL)));
        status.put("task_id", id);
        status.putNull("query_progress");
        status.putNull("labels");
        return status;
    }

    ObjectNode wrapped() {
        ObjectNode body = Json.object();
        body.set("query_status", render());
        return body;
    }
}
