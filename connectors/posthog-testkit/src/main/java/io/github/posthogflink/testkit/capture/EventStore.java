package io.github.posthogflink.testkit.capture;

import java.util.ArrayList;
import java.util.List;

/**
 * Every captured event as received, and the deduplicated view ClickHouse's {@code
 * ReplacingMergeTree} converges to: one event per (uuid, event, distinct_id, day of timestamp), the
 * last one inserted winning, in first-insertion order. The dedup index is an open-addressing table
 * of hashes and positions in the deduplicated list, so that storing an event allocates nothing of
 * its own.
 */
public final class EventStore {
    private static final int INITIAL_SLOTS = 1024;

    private final List<CapturedEvent> raw = new ArrayList<>();
    private final List<CapturedEvent> deduped = new ArrayList<>();

    /**
     * The dedup index, linear probing: each slot holds an event's dedup hash (high half) and its
     * position in {@link #deduped} plus one (low half), 0 for a free slot. The hash is compared
     * before the event is looked at, so a probe seldom reads an event.
     */
    private long[] slots = new long[INITIAL_SLOTS];

    /** Stores the events; returns those whose dedup key was new. */
    public synchronized List<CapturedEvent> addAll(List<CapturedEvent> events) {
        List<CapturedEvent> fresh = new ArrayList<>(events.size());
        raw.addAll(events);
        for (CapturedEvent event : events) {
            if (put(event)) {
                fresh.add(event);
            }
        }
        return fresh;
    }

    /** Indexes the event; true when its key is new, else it replaces the earlier copy. */
    private boolean put(CapturedEvent event) {
        int hash = spread(event.dedupHash());
        int mask = slots.length - 1;
        int slot = hash & mask;
        long entry;
        while ((entry = slots[slot]) != 0) {
            if ((int) (entry >>> 32) == hash) {
                int position = (int) entry - 1;
                if (deduped.get(position).sameDedupKey(event)) {
                    deduped.set(position, event);
                    return false;
                }
            }
            slot = (slot + 1) & mask;
        }
        deduped.add(event);
        slots[slot] = (long) hash << 32 | deduped.size();
        if (deduped.size() * 4L > slots.length * 3L) {
            grow();
        }
        return true;
    }

    private void grow() {
        long[] larger = new long[slots.length * 2];
        int mask = larger.length - 1;
        for (long entry : slots) {
            if (entry != 0) {
                int slot = (int) (entry >>> 32) & mask;
                while (larger[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                larger[slot] = entry;
            }
        }
        slots = larger;
    }

    /** Mixes the hash's bits so that linear probing sees them all. */
    private static int spread(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    public synchronized List<CapturedEvent> raw() {
        return List.copyOf(raw);
    }

    public synchronized List<CapturedEvent> deduped() {
        return List.copyOf(deduped);
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
        slots = new long[INITIAL_SLOTS];
    }
}
