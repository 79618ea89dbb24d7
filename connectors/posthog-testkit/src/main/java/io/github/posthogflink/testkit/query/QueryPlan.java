package io.github.posthogflink.testkit.query;

import io.github.posthogflink.testkit.hogql.HogQLRequest;

import java.util.List;

/**
 * How the testkit runs one query node: the HogQL it sends to the engine, how the engine's columns
 * become the response's, and when a cached answer goes stale.
 *
 * @param kind the node's {@code kind}
 * @param request the engine request (its page is the node's {@code limit} and {@code offset})
 * @param output the response columns, or null to return the engine's columns as they are
 * @param typePairs whether {@code types} are {@code [column, type]} pairs (HogQLQuery, as
 *     ClickHouse's {@code with_column_types}) or bare type names (the other kinds)
 * @param hogqlText the node's HogQL for the query log ({@code ""} for other kinds)
 * @param cursorEligible an EventsQuery without aggregation ordered by timestamp first: a page with
 *     more after it carries {@code nextCursor}
 */
record QueryPlan(
        String kind,
        HogQLRequest request,
        List<OutputColumn> output,
        boolean typePairs,
        Staleness staleness,
        String hogqlText,
        boolean cursorEligible) {

    /** One column of the response, made from engine columns. */
    sealed interface OutputColumn {
        String name();
    }

    /** An engine column as it is. */
    record Plain(String name, int index) implements OutputColumn {}

    /** A constant, e.g. ActorsQuery's {@code person.$delete}. */
    record Constant(String name, Object value, String type) implements OutputColumn {}

    /** EventsQuery's {@code *}: the engine columns from {@code from}, as one object. */
    record EventStar(String name, int from, List<String> fields) implements OutputColumn {}

    /** EventsQuery's {@code person}: the distinct_id at {@code index}, as the person's object. */
    record EventPerson(String name, int index) implements OutputColumn {}

    /** ActorsQuery's {@code person}: the person id at {@code index}, as the person's object. */
    record Actor(String name, int index) implements OutputColumn {}
}
