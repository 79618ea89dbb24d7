package io.github.posthogflink.connector.sink;

import org.apache.flink.connector.base.sink.writer.strategy.BasicRequestInfo;
import org.apache.flink.connector.base.sink.writer.strategy.BasicResultInfo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureRateLimitingStrategyTest {

    private static CaptureRateLimitingStrategy strategy() {
        return new CaptureRateLimitingStrategy(1_000, 4, 100, 0.5);
    }

    @Test
    void startsFullAndIgnoresIsolatedFailures() {
        CaptureRateLimitingStrategy s = strategy();
        assertThat(s.getMaxBatchSize()).isEqualTo(4_000);
        for (int i = 0; i < 100; i++) {
            s.answered(i % 10 == 0, false); // 10 % failures, spread out
        }
        assertThat(s.getMaxBatchSize()).isEqualTo(4_000);
    }

    @Test
    void shrinksOnSustainedFailuresOncePerRoundTrip() {
        CaptureRateLimitingStrategy s = strategy();
        for (int i = 0; i < 4; i++) {
            s.registerInFlightRequest(new BasicRequestInfo(1_000));
        }
        s.answered(true, false);
        s.answered(true, false);
        s.answered(true, false);
        assertThat(s.getMaxBatchSize()).as("three failures are not yet sustained").isEqualTo(4_000);
        s.answered(true, false);
        assertThat(s.getMaxBatchSize()).isEqualTo(2_000);
        // the four requests in flight at the decrease answer before the next one can count
        s.answered(true, false);
        s.answered(true, false);
        s.answered(true, false);
        assertThat(s.getMaxBatchSize()).isEqualTo(2_000);
        for (int i = 0; i < 4; i++) {
            s.registerCompletedRequest(new BasicResultInfo(1_000, 1_000));
        }
        s.answered(true, false);
        assertThat(s.getMaxBatchSize()).isEqualTo(1_000);
        for (int i = 0; i < 20; i++) {
            s.answered(true, false);
        }
        assertThat(s.getMaxBatchSize()).as("never below a tenth of a batch").isEqualTo(100);
        s.answered(false, false);
        assertThat(s.getMaxBatchSize()).isEqualTo(200);
    }

    @Test
    void aThrottleShrinksAtOnce() {
        CaptureRateLimitingStrategy s = strategy();
        s.answered(true, true);
        assertThat(s.getMaxBatchSize()).isEqualTo(2_000);
        for (int i = 0; i < 30; i++) {
            s.answered(false, false);
        }
        assertThat(s.getMaxBatchSize()).isEqualTo(4_000);
    }

    @Test
    void blocksOnRequestsOrBudget() {
        CaptureRateLimitingStrategy s = new CaptureRateLimitingStrategy(1_000, 2, 100, 0.5);
        assertThat(s.shouldBlock(new BasicRequestInfo(1_000))).isFalse();
        s.registerInFlightRequest(new BasicRequestInfo(1_500));
        assertThat(s.shouldBlock(new BasicRequestInfo(600))).isTrue();
        assertThat(s.shouldBlock(new BasicRequestInfo(500))).isFalse();
        s.registerInFlightRequest(new BasicRequestInfo(100));
        assertThat(s.shouldBlock(new BasicRequestInfo(1))).as("two requests in flight").isTrue();
        s.registerCompletedRequest(new BasicResultInfo(0, 1_500));
        assertThat(s.shouldBlock(new BasicRequestInfo(1_000))).isFalse();
    }
}
