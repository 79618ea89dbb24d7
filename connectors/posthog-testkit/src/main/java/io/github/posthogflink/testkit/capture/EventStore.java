package io.github.posthogflink.testkit.capture;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every captured event as received, and the deduplicated view ClickHouse's {@code
 * ReplacingMergeTree} converges to: one event per (uuid, event, distinct_id, day of timestamp), the
 * last one inserted winning, in first-insertion order.
 */
public final class EventStore {
    private record DedupKey(UUID uuid, String event, String distinctId, LocalDate day) {
        static DedupKey of(CapturedEvent e) {
            return new DedupKey(
                    e.uuid(),
                    e.event(),
                    e.distinctId(),
                    LocalDate.ofInstant(e.timestamp(), ZoneOffset.UTC));
        }
    }

    private final List<CapturedEvent> raw = new ArrayList<>();
    private final Map<DedupKey, CapturedEvent> deduped = new LinkedHashMap<>();

    /** Stores the events; returns those whose dedup key was new. */
    public synchronized List<CapturedEvent> addAll(List<CapturedEvent> events) {
        List<CapturedEvent> fresh = new ArrayList<>(events.size());
        for (CapturedEvent event : events) {
            raw.add(event);
            if (deduped.put(DedupKey.of(event), event) == null) {
                fresh.add(event);
            }
        }
        return fresh;
    }

    public synchronized List<CapturedEvent> raw() {
        return List.copyOf(raw);
    }

    public synchronized List<CapturedEvent> deduped() {
        return List.copyOf(deduped.values());
    }

    public synchronized int rawCount() {
        return raw.size();
    }

    public synchronized int dedupedCount() {
        return deduped.size();
    }

    public synchronized void clear() {
        raw.clear();
        deduped.clear();
    }
}
