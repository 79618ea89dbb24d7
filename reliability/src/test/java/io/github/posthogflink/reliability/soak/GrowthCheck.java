package io.github.posthogflink.reliability.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decides whether a series sampled over a soak grows. The samples after a warm-up are split into
 * three windows of equal count; the series passes when the median of the last window stays within
 * {@code absolute} or {@code relative} of the first window's median, and the Theil-Sen slope (the
 * median of the slopes between every pair of samples, robust to the spikes of a restart or a burst
 * of retries) stays under {@code perMinute}. A leak shows in both; noise, a sawtooth or a single
 * spike in neither.
 *
 * @param warmUp the share of samples (by time) left out at the start: class loading, JIT, caches
 *     and buffers filling up
 */
public record GrowthCheck(double warmUp, double absolute, double relative, double perMinute) {

    /** One sample: when (since the start) and the value. */
    public record Sample(Duration at, double value) {}

    /** What the check saw. */
    public record Verdict(
            boolean grows, double firstMedian, double lastMedian, double slopePerMinute, int used) {
        @Override
        public String toString() {
            return String.format(
                    "first window median %.0f, last %.0f, slope %.1f/min over %d samples%s",
                    firstMedian, lastMedian, slopePerMinute, used, grows ? ": GROWS" : "");
        }
    }

    public Verdict check(List<Sample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        double end = samples.get(samples.size() - 1).at().toMillis();
        List<Sample> used = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.at().toMillis() >= end * warmUp) {
                used.add(sample);
            }
        }
        if (used.size() < 6) {
            throw new IllegalArgumentException(
                    "need at least 6 samples after the warm-up, got " + used.size());
        }
        int third = used.size() / 3;
        double first = median(values(used.subList(0, third)));
        double last = median(values(used.subList(used.size() - third, used.size())));
        double slope = theilSenPerMinute(used);
        double allowed = Math.max(absolute, first * relative);
        boolean grows = last - first > allowed || slope > perMinute;
        return new Verdict(grows, first, last, slope, used.size());
    }

    static double theilSenPerMinute(List<Sample> samples) {
        List<Double> slopes = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            for (int j = i + 1; j < samples.size(); j++) {
                double minutes =
                        (samples.get(j).at().toMillis() - samples.get(i).at().toMillis())
                                / 60_000.0;
                if (minutes > 0) {
                    slopes.add((samples.get(j).value() - samples.get(i).value()) / minutes);
                }
            }
        }
        return median(slopes.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double[] values(List<Sample> samples) {
        return samples.stream().mapToDouble(Sample::value).toArray();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
