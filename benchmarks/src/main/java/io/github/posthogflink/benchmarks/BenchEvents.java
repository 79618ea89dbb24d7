package io.github.posthogflink.benchmarks;

import io.github.posthogflink.client.capture.PostHogEvent;
import io.github.posthogflink.connector.sink.PostHogEvents;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** The events every side of the sink benchmark sends, and when the pipeline saw its first one. */
final class BenchEvents {
    static final Instant BASE_TIME = Instant.parse("2026-03-01T00:00:00Z");
    static final String EVENT = "order placed";

    /** {@link System#nanoTime()} of the first element of the current run (0 before it). */
    static final AtomicLong FIRST_ELEMENT_NANOS = new AtomicLong();

    /** Process CPU time at the first element of the current run. */
    static final AtomicLong FIRST_ELEMENT_CPU_NANOS = new AtomicLong();

    /** {@link System#nanoTime()} of the last element the no-op sink discarded. */
    static final AtomicLong LAST_DISCARDED_NANOS = new AtomicLong();

    private BenchEvents() {}

    static String distinctId(long id) {
        return "user-" + (id % 10_000);
    }

    static Instant timestamp(long id) {
        return BASE_TIME.plusMillis(id);
    }

    static String plan(long id) {
        return id % 3 == 0 ? "pro" : "free";
    }

    static double amount(long id) {
        return (id % 1_000) / 10.0;
    }

    static long items(long id) {
        return id % 5 + 1;
    }

    /** The element as the PostHog sink's converter builds it. */
    static PostHogEvent event(long id) {
        return PostHogEvents.capture(EVENT, distinctId(id))
                .property("order_id", id)
                .property("amount", amount(id))
                .property("currency", "EUR")
                .property("plan", plan(id))
                .property("items", items(id))
                .timestamp(timestamp(id))
                .build();
    }

    static String identity(long id) {
        return "orders/" + id;
    }

    static void markFirstElement() {
        if (FIRST_ELEMENT_NANOS.get() == 0
                && FIRST_ELEMENT_NANOS.compareAndSet(0, System.nanoTime())) {
            FIRST_ELEMENT_CPU_NANOS.set(Cpu.processNanos());
        }
    }
}
