package io.github.posthogflink.connector.enrich.persons;

import java.util.List;

/**
 * A batch of {@link PendingLookup}s with its permit, waiting for it; {@code keys} guarded by the
 * engine.
 */
final class WaitingBatch {
    final List<PendingLookup> keys;
    final RequestBudget.Grant grant;

    WaitingBatch(List<PendingLookup> keys, RequestBudget.Grant grant) {
        this.keys = keys;
        this.grant = grant;
    }
}
