package io.github.posthogflink.connector.sink;

import org.apache.flink.connector.base.sink.writer.strategy.RateLimitingStrategy;
import org.apache.flink.connector.base.sink.writer.strategy.RequestInfo;
import org.apache.flink.connector.base.sink.writer.strategy.ResultInfo;

/**
 * The sink's congestion control: an in-flight event budget (which also caps the batch size), AIMD
 * like AsyncSink's own, but it only shrinks on a signal of overload, not on every failure:
 *
 * <ul>
 *   <li>a 429 (PostHog throttles), or
 *   <li>a sustained failure rate: an exponentially weighted share of failed requests of at least
 *       {@value #SUSTAINED_FAILURE_RATE} (about four failures in a row from a clean record).
 * </ul>
 *
 * An isolated 503 or a reset connection is retried (after its backoff) without shrinking the
 * batches of everything else: AsyncSink's AIMD halved the budget on each one, so 10 % of 503s cut
 * batches to a few hundred events and throughput to a third. At most one decrease happens per round
 * trip: after one, the requests already in flight complete before the next can count. Every
 * successful request adds {@code increase} events back, up to the full budget ({@code maxBatchSize
 * × maxInFlightRequests}), at which it starts. Runs on the task thread (AsyncSink calls it there;
 * the writer reports answers from its mailbox).
 */
final class CaptureRateLimitingStrategy implements RateLimitingStrategy {
    /** Weight of the latest request in the failure rate. */
    static final double FAILURE_WEIGHT = 0.2;

    /** The failure rate at which failures count as sustained. */
    static final double SUSTAINED_FAILURE_RATE = 0.5;

    private final int maxInFlightRequests;
    private final int maxBudget;
    private final int minBudget;
    private final int increase;
    private final double decreaseFactor;

    private int budget;
    private int inFlightRequests;
    private int inFlightMessages;
    private double failureRate;
    private int completionsBeforeNextDecrease;
    private int waitingRequests;

    CaptureRateLimitingStrategy(
            int maxBatchSize, int maxInFlightRequests, int increase, double decreaseFactor) {
        this.maxInFlightRequests = maxInFlightRequests;
        this.maxBudget = maxBatchSize * maxInFlightRequests;
        this.minBudget = Math.max(1, maxBatchSize / 10);
        this.increase = increase;
        this.decreaseFactor = decreaseFactor;
        this.budget = maxBudget;
    }

    /**
     * The answer to a request: delivered (or refused for good), failed with a retryable error, or
     * throttled (429). Reported by the writer when the answer arrives, not when the retried entries
     * go back into the buffer after their backoff.
     */
    void answered(boolean failed, boolean throttled) {
        if (completionsBeforeNextDecrease > 0) {
            completionsBeforeNextDecrease--;
        }
        failureRate = failureRate * (1 - FAILURE_WEIGHT) + (failed ? FAILURE_WEIGHT : 0);
        if (!failed) {
            budget = Math.min(maxBudget, budget + increase);
        } else if ((throttled || sustained()) && completionsBeforeNextDecrease == 0) {
            budget = Math.max(minBudget, (int) (budget * decreaseFactor));
            completionsBeforeNextDecrease = inFlightRequests;
        }
    }

    /**
     * A failed request waits for its backoff before its entries go back into the buffer; AsyncSink
     * counts it in flight until then. It stops counting against the budget and the request limit,
     * so that one backing-off batch does not stall the rest, unless {@code maxInFlightRequests}
     * requests are waiting already (which bounds what the writer holds during an outage).
     *
     * @return whether it was set aside; if so, {@link #resumed} must follow
     */
    boolean waiting(int entries) {
        if (waitingRequests >= maxInFlightRequests) {
            return false;
        }
        waitingRequests++;
        inFlightRequests--;
        inFlightMessages -= entries;
        return true;
    }

    /** A request set aside by {@link #waiting} goes back (AsyncSink completes it next). */
    void resumed(int entries) {
        waitingRequests--;
        inFlightRequests++;
        inFlightMessages += entries;
    }

    /** Whether failures are sustained rather than isolated. */
    boolean sustained() {
        return failureRate >= SUSTAINED_FAILURE_RATE;
    }

    @Override
    public void registerInFlightRequest(RequestInfo request) {
        inFlightRequests++;
        inFlightMessages += request.getBatchSize();
    }

    /** Only frees the request's share: its outcome came through {@link #answered}. */
    @Override
    public void registerCompletedRequest(ResultInfo result) {
        inFlightRequests--;
        inFlightMessages -= result.getBatchSize();
    }

    @Override
    public boolean shouldBlock(RequestInfo request) {
        return inFlightRequests >= maxInFlightRequests
                || (inFlightMessages > 0 && inFlightMessages + request.getBatchSize() > budget);
    }

    @Override
    public int getMaxBatchSize() {
        return budget;
    }

    int budget() {
        return budget;
    }

    double failureRate() {
        return failureRate;
    }
}
