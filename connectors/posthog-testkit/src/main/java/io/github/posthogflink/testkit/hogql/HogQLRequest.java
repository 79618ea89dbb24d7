package io.github.posthogflink.testkit.hogql;

import java.util.Map;

/**
 * One query for {@link HogQLEngine#execute(HogQLRequest)}: the HogQL text and its placeholder
 * values, the page PostHog's {@code HogQLHasMorePaginator} applies when the query has no LIMIT, and
 * whether OFFSET is refused (PostHog refuses it in queries made with a personal API key).
 *
 * @param pageLimit rows per page when the query has no LIMIT: 100 when {@code <= 0}, at most 50,000
 * @param pageOffset rows skipped by the paginator (an EventsQuery's {@code offset})
 */
public record HogQLRequest(
        String hogql,
        Map<String, Object> values,
        int pageLimit,
        int pageOffset,
        boolean refuseOffset) {

    /**
     * PostHog's message for an OFFSET in a personal-key query ({@code
     * posthog/hogql/user_query_validator.py}).
     */
    public static final String OFFSET_NOT_ALLOWED_MESSAGE =
            "OFFSET is not supported on queries made with a personal API key. For pagination, use"
                    + " keyset pagination on the `timestamp` column, e.g. `WHERE timestamp >"
                    + " :last_seen_timestamp ORDER BY timestamp LIMIT N`. For bulk data extraction,"
                    + " use batch exports: https://posthog.com/docs/cdp/batch-exports";

    public HogQLRequest {
        values = values == null ? Map.of() : values;
    }

    /** A query with the default page and OFFSET allowed. */
    public static HogQLRequest of(String hogql, Map<String, Object> values) {
        return new HogQLRequest(hogql, values, 0, 0, false);
    }

    public HogQLRequest withPage(int limit, int offset) {
        return new HogQLRequest(hogql, values, limit, offset, refuseOffset);
    }

    /** Refuses any OFFSET in the query, as PostHog does for personal-key queries. */
    public HogQLRequest refusingOffset() {
        return new HogQLRequest(hogql, values, pageLimit, pageOffset, true);
    }
}
