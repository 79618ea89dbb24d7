package io.github.posthogflink.jobs.progress;

/**
 * A running job's totals: records read, events out of the enrichment, events PostHog took, events
 * in the sink not yet delivered, and records dead-lettered (by the parser, before the sink, or
 * refused by PostHog).
 */
public record Progress(
        long recordsRead, long eventsOut, long eventsSent, long pending, long deadLettered) {}
