package io.github.posthogflink.jobs.progress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints a progress line every few seconds while a local run goes: {@code progress: 12,000 records
 * read, 11,950 events sent (2,390/s), 50 pending, 24 dead-lettered}. Without the PostHog sink the
 * events counted are those written to the outputs.
 */
public final class ProgressPrinter implements AutoCloseable {
    public static final Duration INTERVAL = Duration.ofSeconds(3);

    private final String run;
    private final PrintStream out;
    private final boolean sink;
    private final ScheduledExecutorService timer;
    private long lastEvents;
    private long lastNanos = System.nanoTime();

    private ProgressPrinter(String run, PrintStream out, boolean sink) {
        this.run = run;
        this.out = out;
        this.sink = sink;
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "posthog-pipeline-progress");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Starts printing the progress of run {@code run} (see {@link ProgressMetrics#addTo}). */
    public static ProgressPrinter start(String run, PrintStream out, boolean sink) {
        ProgressPrinter printer = new ProgressPrinter(run, out, sink);
        long every = INTERVAL.toMillis();
        printer.timer.scheduleAtFixedRate(printer::print, every, every, TimeUnit.MILLISECONDS);
        return printer;
    }

    private void print() {
        ProgressMetrics metrics = ProgressMetrics.of(run);
        if (metrics == null || !metrics.started()) {
            return;
        }
        Progress now = metrics.snapshot();
        long nanos = System.nanoTime();
        long events = sink ? now.eventsSent() : now.eventsOut();
        double seconds = (nanos - lastNanos) / 1e9;
        out.println(line(now, sink, seconds > 0 ? (events - lastEvents) / seconds : 0));
        lastEvents = events;
        lastNanos = nanos;
    }

    static String line(Progress p, boolean sink, double eventsPerSecond) {
        return String.format(
                Locale.ROOT,
                "progress: %,d records read, %,d events %s (%,.0f/s), %,d pending, %,d"
                        + " dead-lettered",
                p.recordsRead(),
                sink ? p.eventsSent() : p.eventsOut(),
                sink ? "sent" : "written",
                eventsPerSecond,
                p.pending(),
                p.deadLettered());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
