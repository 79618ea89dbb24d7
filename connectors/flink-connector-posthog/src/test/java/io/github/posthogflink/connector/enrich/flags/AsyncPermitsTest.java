package io.github.posthogflink.connector.enrich.flags;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncPermitsTest {

    @Test
    void callsBeyondTheLimitWaitInArrivalOrder() {
        AsyncPermits permits = new AsyncPermits(2, 100);
        List<CompletableFuture<String>> started = new ArrayList<>();
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(
                    permits.run(
                            () -> {
                                CompletableFuture<String> call = new CompletableFuture<>();
                                started.add(call);
                                return call;
                            }));
        }
        assertThat(started).hasSize(2);
        assertThat(permits.waiting()).isEqualTo(3);

        started.get(1).complete("b");
        assertThat(results.get(1).join()).isEqualTo("b");
        assertThat(started).hasSize(3);

        started.get(0).completeExceptionally(new IllegalStateException("boom"));
        assertThat(results.get(0)).isCompletedExceptionally();
        assertThat(started).hasSize(4);

        started.get(2).complete("c");
        started.get(3).complete("d");
        started.get(4).complete("e");
        assertThat(results.get(4).join()).isEqualTo("e");
        assertThat(permits.inUse()).isZero();
        assertThat(permits.waiting()).isZero();
    }

    @Test
    void aCallThatThrowsReturnsItsPermit() {
        AsyncPermits permits = new AsyncPermits(1, 100);
        CompletableFuture<String> failed =
                permits.run(
                        () -> {
                            throw new IllegalArgumentException("bad request");
                        });
        assertThat(failed).isCompletedExceptionally();
        assertThat(permits.run(() -> CompletableFuture.completedFuture("ok")).join())
                .isEqualTo("ok");
        assertThat(permits.inUse()).isZero();
    }

    @Test
    void aCallerThatGivesUpLeavesTheQueueAndItsCallNeverRuns() {
        AsyncPermits permits = new AsyncPermits(1, 100);
        List<String> started = new ArrayList<>();
        CompletableFuture<String> first = new CompletableFuture<>();
        permits.run(
                () -> {
                    started.add("first");
                    return first;
                });
        CompletableFuture<String> timedOut =
                permits.run(
                        () -> {
                            started.add("abandoned");
                            return CompletableFuture.completedFuture("late");
                        });
        CompletableFuture<String> third =
                permits.run(
                        () -> {
                            started.add("third");
                            return CompletableFuture.completedFuture("c");
                        });

        timedOut.completeExceptionally(new java.util.concurrent.TimeoutException());
        assertThat(permits.waiting()).isEqualTo(1);
        first.complete("a");

        assertThat(started).containsExactly("first", "third");
        assertThat(third.join()).isEqualTo("c");
        assertThat(permits.inUse()).isZero();
    }

    @Test
    void aRunningCallKeepsItsPermitUntilItCompletesEvenWhenItsCallerGaveUp() {
        AsyncPermits permits = new AsyncPermits(1, 100);
        CompletableFuture<String> call = new CompletableFuture<>();
        CompletableFuture<String> result = permits.run(() -> call);

        result.cancel(false);

        assertThat(permits.inUse()).as("the request is still on the wire").isEqualTo(1);
        call.complete("late");
        assertThat(permits.inUse()).isZero();
    }

    @Test
    void theQueueIsBounded() {
        AsyncPermits permits = new AsyncPermits(1, 2);
        for (int i = 0; i < 3; i++) {
            permits.run(CompletableFuture::new);
        }

        CompletableFuture<Object> extra = permits.run(CompletableFuture::new);

        assertThat(extra)
                .isCompletedExceptionally()
                .failsWithin(java.time.Duration.ZERO)
                .withThrowableThat()
                .withCauseInstanceOf(java.util.concurrent.RejectedExecutionException.class);
        assertThat(permits.waiting()).isEqualTo(2);
    }
}
