package io.github.posthogflink.connector.enrich.persons;

import org.apache.flink.annotation.PublicEvolving;

/** What the looked-up key of an element is matched against. */
@PublicEvolving
public enum LookupKey {
    /** A distinct id, resolved in batches through {@code persons/batch_by_distinct_ids/}. */
    BY_DISTINCT_ID,
    /** The person property {@code email}, resolved through the persons list. */
    BY_EMAIL,
    /** A configured person property, resolved through the persons list. */
    BY_PROPERTY
}
