package io.github.posthogflink.connector.sink;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTest {
    private final AtomicLong now = new AtomicLong(1_000);

    private static PostHogRequestEntry entry(int i) {
        return PostHogRequestEntry.of(
                "u" + i, "e", ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8));
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void retriesUntilTheDeliveryTimeoutThenGivesUpWithTheAttempts() {
        RetryBudget budget =
                new RetryBudget(Duration.ofSeconds(10), RetryBudget.UNBOUNDED, now::get);
        List<PostHogRequestEntry> batch = List.of(entry(1), entry(2));

        assertThat(budget.failed(batch, Duration.ofSeconds(1)))
                .isEqualTo(new RetryBudget.Retry(Duration.ofSeconds(1)));
        advance(Duration.ofSeconds(8));
        // a retry never waits past the deadline
        assertThat(budget.failed(batch, Duration.ofSeconds(5)))
                .isEqualTo(new RetryBudget.Retry(Duration.ofSeconds(2)));
        advance(Duration.ofSeconds(2));
        assertThat(budget.failed(batch, Duration.ofSeconds(1)))
                .isEqualTo(new RetryBudget.GiveUp(Duration.ofSeconds(10), 3, true));
        assertThat(budget.tracked()).isZero();
    }

    @Test
    void aBatchIsAsOldAsItsOldestFailedEntry() {
        RetryBudget budget =
                new RetryBudget(Duration.ofSeconds(10), RetryBudget.UNBOUNDED, now::get);
        PostHogRequestEntry old = entry(1);
        budget.failed(List.of(old), Duration.ZERO);
        advance(Duration.ofSeconds(9));
        PostHogRequestEntry young = entry(2);
        assertThat(budget.failed(List.of(young), Duration.ZERO))
                .isInstanceOf(RetryBudget.Retry.class);
        advance(Duration.ofSeconds(1));
        // regrouped by AsyncSink with a younger entry: the old one still decides
        assertThat(budget.failed(List.of(young, old), Duration.ZERO))
                .isEqualTo(new RetryBudget.GiveUp(Duration.ofSeconds(10), 2, true));
    }

    @Test
    void deliveredEntriesAreForgottenSoALaterFailureStartsAfresh() {
        RetryBudget budget =
                new RetryBudget(Duration.ofSeconds(10), RetryBudget.UNBOUNDED, now::get);
        PostHogRequestEntry e = entry(1);
        budget.failed(List.of(e), Duration.ZERO);
        advance(Duration.ofSeconds(9));
        budget.settled(List.of(e));
        assertThat(budget.tracked()).isZero();
        // the same event failing again (say, a replay) gets a full timeout
        advance(Duration.ofSeconds(5));
        assertThat(budget.failed(List.of(e), Duration.ofSeconds(1)))
                .isEqualTo(new RetryBudget.Retry(Duration.ofSeconds(1)));
    }

    @Test
    void entriesAreTrackedByIdentityNotByEquality() {
        RetryBudget budget = new RetryBudget(Duration.ofSeconds(10), 0, now::get);
        PostHogRequestEntry a = entry(1);
        PostHogRequestEntry twin = entry(1);
        assertThat(a).isEqualTo(twin);
        assertThat(budget.failed(List.of(a), Duration.ZERO)).isInstanceOf(RetryBudget.GiveUp.class);
        budget.failed(List.of(twin), Duration.ZERO);
        assertThat(budget.tracked()).isZero();
    }

    @Test
    void maxRetriesCountsRetriesAfterTheFirstAttempt() {
        RetryBudget budget = new RetryBudget(Duration.ofMinutes(10), 2, now::get);
        List<PostHogRequestEntry> batch = List.of(entry(1));

        assertThat(budget.failed(batch, Duration.ZERO)).isInstanceOf(RetryBudget.Retry.class);
        assertThat(budget.failed(batch, Duration.ZERO)).isInstanceOf(RetryBudget.Retry.class);
        advance(Duration.ofMillis(300));
        assertThat(budget.failed(batch, Duration.ZERO))
                .isEqualTo(new RetryBudget.GiveUp(Duration.ofMillis(300), 3, false));
    }

    @Test
    void theFailureMessageSaysWhatHowLongAndHowOftenWithoutTheKey() {
        io.github.posthogflink.client.PostHogException error =
                new io.github.posthogflink.client.PostHogException(
                        503, "POST /batch/", null, null, null, null, true, null, null);
        SendOutcome outcome =
                SendOutcome.retry(List.of(entry(1), entry(2)), "http_5xx", null, error);

        PostHogSinkException failure =
                DeliveryFailures.gaveUp(
                        new RetryBudget.GiveUp(Duration.ofMillis(612_400), 31, true),
                        outcome,
                        "http_5xx",
                        Duration.ofMinutes(10),
                        RetryBudget.UNBOUNDED);

        assertThat(failure.getMessage())
                .contains("2 events")
                .contains("10 min 12 s")
                .contains("31 attempts")
                .contains("HTTP 503")
                .contains("http_5xx")
                .contains("delivery timeout of 10 min 0 s")
                .contains("last checkpoint");
        assertThat(failure.getCause()).isSameAs(error);
    }
}
