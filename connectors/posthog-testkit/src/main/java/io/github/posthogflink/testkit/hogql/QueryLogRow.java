package io.github.posthogflink.testkit.hogql;

import java.time.Instant;

/**
 * One finished query in the HogQL table {@code query_log} (PostHog's {@code query_log_archive},
 * {@code posthog/hogql/database/schema/query_log_archive.py}).
 *
 * @param queryId the request's {@code client_query_id} (or the id the server chose)
 * @param endpoint the API path the query came through
 * @param query the HogQL text of a {@code HogQLQuery}, empty for other kinds
 * @param name the request's {@code name}
 * @param status {@code QueryFinish} or {@code ExceptionWhileProcessing}
 * @param exceptionName the error's text for a failed query, empty otherwise
 * @param apiKeyMask the personal key as PostHog masks it ({@code phx_…abcd})
 */
public record QueryLogRow(
        String queryId,
        String endpoint,
        String query,
        String name,
        Instant startTime,
        Instant endTime,
        long resultRows,
        long resultBytes,
        long readRows,
        String status,
        int exceptionCode,
        String exceptionName,
        boolean personalApiKey,
        String apiKeyLabel,
        String apiKeyMask) {}
