package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.persons.PersonProcessor;
import io.github.posthogflink.testkit.quota.QuotaLimits;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where accepted events go, for every capture route: the event store (mirrored to the query engine)
 * and person processing; and whether the project's events quota is spent.
 */
public final class CaptureStorage {
    private final EventStore store;
    private final PersonProcessor persons;
    private final Function<Supplier<List<CapturedEvent>>, List<CapturedEvent>> storeAndMirror;
    private final QuotaLimits quota;

    /**
     * @param storeAndMirror runs the store's update and mirrors its events to the query engine
     */
    public CaptureStorage(
            EventStore store,
            PersonProcessor persons,
            Function<Supplier<List<CapturedEvent>>, List<CapturedEvent>> storeAndMirror,
            QuotaLimits quota) {
        this.store = store;
        this.persons = persons;
        this.storeAndMirror = storeAndMirror;
        this.quota = quota;
    }

    /** Whether PostHog would drop the project's events for a spent billing quota. */
    boolean quotaLimited() {
        return quota.isLimited(QuotaLimits.Resource.EVENTS);
    }

    /** Stores the events, then applies them to persons and groups. */
    void store(List<CapturedEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        storeAndMirror.apply(
                () -> {
                    store.addAll(events);
                    // The query engine deduplicates itself, as ReplacingMergeTree does.
                    return events;
                });
        persons.process(events);
    }
}
