package io.github.posthogflink.client.ratelimit;

import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The limiter on virtual time: a manual ticker and a manual scheduler. */
class SlidingWindowRateLimiterTest {
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();
    private static final long HOUR = Duration.ofHours(1).toNanos();

    private record Grant(int caller, long at) {}

    private final ManualScheduler clock = new ManualScheduler();
    private final List<Grant> grants = new ArrayList<>();

    private void acquire(SlidingWindowRateLimiter limiter, int caller) {
        CompletableFuture<Void> ticket = limiter.acquire();
        ticket.thenRun(() -> grants.add(new Grant(caller, clock.now())));
    }

    @Test
    void aThousandCallsAtOnceAreGrantedInOrderWithinBothWindows() {
        List<Window> windows =
                List.of(
                        new Window(240, Duration.ofMinutes(1)),
                        new Window(1200, Duration.ofHours(1)));
        SlidingWindowRateLimiter limiter = new SlidingWindowRateLimiter(windows, clock, clock);

        for (int i = 0; i < 1000; i++) {
            acquire(limiter, i);
        }
        assertThat(grants).hasSize(240);
        assertThat(limiter.waiting()).isEqualTo(760);
        clock.runAll();

        assertThat(grants).extracting(Grant::caller).containsExactlyElementsOf(range(1000));
        assertWithinWindows(windows);
        assertThat(grants)
                .extracting(Grant::at)
                .containsExactlyElementsOf(greedy(windows, new long[1000]));
        // 240 at 0, 60 s, 120 s, 180 s and the last 40 at 240 s.
        assertThat(grants.get(999).at()).isEqualTo(4 * MINUTE);
        assertThat(limiter.waiting()).isZero();
        assertThat(clock.scheduledCount()).isEqualTo(4);
    }

    @Test
    void theHourlyWindowBindsWhenTheMinuteWindowAllowsMore() {
        List<Window> windows =
                List.of(
                        new Window(240, Duration.ofMinutes(1)),
                        new Window(300, Duration.ofHours(1)));
        SlidingWindowRateLimiter limiter = new SlidingWindowRateLimiter(windows, clock, clock);

        for (int i = 0; i < 1000; i++) {
            acquire(limiter, i);
        }
        clock.runAll();

        assertThat(grants).extracting(Grant::caller).containsExactlyElementsOf(range(1000));
        assertWithinWindows(windows);
        // 240 at 0 and 60 at 1 min use the first hour; the next 240 come at 1 h.
        assertThat(grants.get(299).at()).isEqualTo(MINUTE);
        assertThat(grants.get(300).at()).isEqualTo(HOUR);
        assertThat(grants)
                .extracting(Grant::at)
                .containsExactlyElementsOf(greedy(windows, new long[1000]));
    }

    @Test
    void callsArrivingOverTimeAreGrantedFifoNeverEarlyAndWithoutIdling() {
        List<Window> windows =
                List.of(
                        new Window(240, Duration.ofMinutes(1)),
                        new Window(1200, Duration.ofHours(1)));
        SlidingWindowRateLimiter limiter = new SlidingWindowRateLimiter(windows, clock, clock);
        Random random = new Random(20261127L);
        long[] arrivals = new long[1000];
        long t = 0;
        for (int i = 0; i < arrivals.length; i++) {
            // Bursts and pauses: mostly close together, sometimes a gap of up to 3 minutes.
            t +=
                    random.nextInt(10) == 0
                            ? (long) (random.nextDouble() * 3 * MINUTE)
                            : random.nextInt(50_000_000);
            arrivals[i] = t;
            int caller = i;
            clock.at(t, () -> acquire(limiter, caller));
        }

        clock.runAll();

        assertThat(grants).extracting(Grant::caller).containsExactlyElementsOf(range(1000));
        for (Grant g : grants) {
            assertThat(g.at()).isGreaterThanOrEqualTo(arrivals[g.caller()]);
        }
        assertWithinWindows(windows);
        assertThat(grants)
                .extracting(Grant::at)
                .containsExactlyElementsOf(greedy(windows, arrivals));
    }

    @Test
    void aGrantFreesUpExactlyOnePeriodLater() {
        List<Window> windows = List.of(new Window(2, Duration.ofSeconds(10)));
        SlidingWindowRateLimiter limiter = new SlidingWindowRateLimiter(windows, clock, clock);
        long second = Duration.ofSeconds(1).toNanos();

        clock.at(0, () -> acquire(limiter, 0));
        clock.at(3 * second, () -> acquire(limiter, 1));
        clock.at(4 * second, () -> acquire(limiter, 2));
        clock.at(5 * second, () -> acquire(limiter, 3));
        clock.runAll();

        assertThat(grants)
                .containsExactly(
                        new Grant(0, 0),
                        new Grant(1, 3 * second),
                        new Grant(2, 10 * second),
                        new Grant(3, 13 * second));
    }

    @Test
    void classesThatNameTheSameScopeShareItsBucket() {
        // Persons reads (clickhouse_burst) and insights (clickhouse_burst + _sustained), 4/min.
        RateLimitPolicy policy =
                RateLimitPolicy.postHogDefaults()
                        .withLimits(
                                ThrottleScope.CLICKHOUSE_BURST,
                                new Window(4, Duration.ofMinutes(1)));
        SlidingWindowRateLimiter limiter = new SlidingWindowRateLimiter(policy, clock, clock);
        List<String> granted = new ArrayList<>();

        for (int i = 0; i < 3; i++) {
            limiter.acquire(RateLimitClass.PERSONS).thenRun(() -> granted.add("persons"));
            limiter.acquire(RateLimitClass.ANALYTICS).thenRun(() -> granted.add("insights"));
        }
        limiter.acquire(RateLimitClass.CRUD).thenRun(() -> granted.add("crud"));

        assertThat(granted).hasSize(5).containsOnlyOnce("crud");
        assertThat(limiter.waiting()).isEqualTo(2);
        clock.runAll();
        assertThat(clock.now()).isEqualTo(MINUTE);
        assertThat(granted).hasSize(7);
    }

    @Test
    void aClassWaitingForItsHourlyWindowDoesNotHoldUpOthers() {
        RateLimitPolicy policy =
                RateLimitPolicy.postHogDefaults()
                        .withLimits(RateLimitClass.QUERY, new Window(1, Duration.ofHours(1)));
        SlidingWindowRateLimiter limiter = new SlidingWindowRateLimiter(policy, clock, clock);

        assertThat(limiter.acquire(RateLimitClass.QUERY)).isDone();
        CompletableFuture<Void> secondQuery = limiter.acquire(RateLimitClass.QUERY);

        assertThat(limiter.acquire(RateLimitClass.PERSONS)).isDone();
        assertThat(secondQuery).isNotDone();
        clock.runAll();
        assertThat(secondQuery).isDone();
        assertThat(clock.now()).isEqualTo(HOUR);
    }

    @Test
    void aTicketItsCallerGaveUpLeavesTheQueueAndTakesNoPermit() {
        List<Window> windows = List.of(new Window(1, Duration.ofMinutes(1)));
        SlidingWindowRateLimiter limiter = new SlidingWindowRateLimiter(windows, clock, clock);
        acquire(limiter, 0);
        CompletableFuture<Void> abandoned = limiter.acquire();
        acquire(limiter, 2);

        abandoned.cancel(false);

        assertThat(limiter.waiting()).isEqualTo(1);
        clock.runAll();
        assertThat(grants).containsExactly(new Grant(0, 0), new Grant(2, MINUTE));
    }

    /** In every sliding window, at most {@code permits} grants. */
    private void assertWithinWindows(List<Window> windows) {
        long[] times = grants.stream().mapToLong(Grant::at).sorted().toArray();
        for (Window w : windows) {
            long period = w.period().toNanos();
            for (int j = 0; j + w.permits() < times.length; j++) {
                assertThat(times[j + w.permits()] - times[j])
                        .as("grants %d and %d within one %s window", j, j + w.permits(), w)
                        .isGreaterThanOrEqualTo(period);
            }
        }
    }

    /**
     * When a FIFO limiter that never idles must grant each call: at its arrival, after the previous
     * grant, and once every window has room.
     */
    private static List<Long> greedy(List<Window> windows, long[] arrivals) {
        long[] out = new long[arrivals.length];
        for (int i = 0; i < arrivals.length; i++) {
            long at = Math.max(arrivals[i], i == 0 ? 0 : out[i - 1]);
            for (Window w : windows) {
                if (i >= w.permits()) {
                    at = Math.max(at, out[i - w.permits()] + w.period().toNanos());
                }
            }
            out[i] = at;
        }
        List<Long> list = new ArrayList<>();
        for (long v : out) {
            list.add(v);
        }
        return list;
    }

    private static List<Integer> range(int n) {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(i);
        }
        return list;
    }
}
