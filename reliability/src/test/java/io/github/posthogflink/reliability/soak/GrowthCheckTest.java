package io.github.posthogflink.reliability.soak;

import io.github.posthogflink.reliability.soak.GrowthCheck.Sample;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** The soak's growth rule on made-up series: 30 samples, one every 20 s (a 10-minute soak). */
class GrowthCheckTest {
    private static final double MB = 1024 * 1024;
    private static final GrowthCheck HEAP = new GrowthCheck(0.2, 16 * MB, 0.10, 1.5 * MB);

    @Test
    void aFlatNoisySeriesDoesNotGrow() {
        Random random = new Random(42);
        List<Sample> samples = series(i -> 80 * MB + random.nextGaussian() * 3 * MB);
        assertThat(HEAP.check(samples).grows()).isFalse();
    }

    @Test
    void aLeakOfAFewMegabytesAMinuteGrows() {
        Random random = new Random(7);
        // 3 MB/min: 1 KB kept per event at 50 events/s.
        List<Sample> samples =
                series(i -> 80 * MB + i * (3 * MB / 3) + random.nextGaussian() * 2 * MB);
        GrowthCheck.Verdict verdict = HEAP.check(samples);
        assertThat(verdict.grows()).isTrue();
        assertThat(verdict.slopePerMinute()).isBetween(2.5 * MB, 3.5 * MB);
    }

    @Test
    void spikesFromRestartsAndAWarmUpRampDoNotCount() {
        List<Sample> samples =
                series(
                        i -> {
                            if (i < 5) {
                                return 40 * MB + i * 10 * MB; // warm-up ramp
                            }
                            return i == 12 || i == 22 ? 300 * MB : 90 * MB; // two restarts
                        });
        assertThat(HEAP.check(samples).grows()).isFalse();
    }

    @Test
    void aStepUpThatStaysGrows() {
        List<Sample> samples = series(i -> i < 18 ? 90 * MB : 150 * MB);
        assertThat(HEAP.check(samples).grows()).isTrue();
    }

    private static List<Sample> series(IntToDoubleFunction value) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            samples.add(new Sample(Duration.ofSeconds(20L * i), value.applyAsDouble(i)));
        }
        return samples;
    }
}
