package io.github.posthogflink.testkit.hogql;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored event, as the query engine sees it: as PostHog's ingestion wrote it to ClickHouse.
 *
 * @param propertiesJson a JSON object; {@code $session_id}, {@code $window_id} and {@code
 *     $group_0}…{@code $group_4} in it are also the columns of those names, as ClickHouse
 *     materialises them
 * @param createdAt when PostHog ingested the event (HogQL {@code created_at}); null: the timestamp
 * @param elementsChain the autocapture element chain (HogQL {@code elements_chain}); null: empty
 */
public record EventRow(
        UUID uuid,
        String event,
        String distinctId,
        String propertiesJson,
        Instant timestamp,
        Instant createdAt,
        String elementsChain) {

    /** An event ingested at its own timestamp, without elements. */
    public EventRow(
            UUID uuid, String event, String distinctId, String propertiesJson, Instant timestamp) {
        this(uuid, event, distinctId, propertiesJson, timestamp, null, null);
    }
}
