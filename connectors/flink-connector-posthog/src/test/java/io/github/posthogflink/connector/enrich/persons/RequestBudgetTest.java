package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RequestBudgetTest {
    private static final long S = 1_000_000_000L;

    @Test
    void reservesSlotsInEveryWindow() {
        RequestBudget budget =
                new RequestBudget(
                        List.of(
                                new Window(2, Duration.ofSeconds(60)),
                                new Window(3, Duration.ofSeconds(3600))));
        assertThat(budget.reserve(0).time()).isEqualTo(0);
        assertThat(budget.reserve(S).time()).isEqualTo(S);
        assertThat(budget.reserve(2 * S).time()).isEqualTo(60 * S); // the minute is full
        assertThat(budget.earliestGrant(61 * S)).isEqualTo(3600 * S); // now the hour is
        assertThat(budget.tryReserve(61 * S, 3599 * S)).isEmpty();
        assertThat(budget.tryReserve(61 * S, 3600 * S))
                .get()
                .extracting(RequestBudget.Grant::time)
                .isEqualTo(3600 * S);
    }

    @Test
    void grantsNeverGoBackInTime() {
        RequestBudget budget = new RequestBudget(List.of(new Window(1, Duration.ofSeconds(10))));
        assertThat(budget.reserve(0).time()).isEqualTo(0);
        assertThat(budget.reserve(0).time()).isEqualTo(10 * S);
        assertThat(budget.reserve(0).time()).isEqualTo(20 * S);
        assertThat(budget.reserve(25 * S).time()).isEqualTo(30 * S);
        assertThat(budget.reserve(100 * S).time()).isEqualTo(100 * S);
    }

    @Test
    void aSlowResponseMovesTheNextReservationsLater() {
        RequestBudget budget = new RequestBudget(List.of(new Window(2, Duration.ofSeconds(10))));
        RequestBudget.Grant first = budget.reserve(0);
        RequestBudget.Grant second = budget.reserve(0);
        RequestBudget.Grant third = budget.reserve(0);
        assertThat(third.time()).isEqualTo(10 * S);

        // PostHog may have counted the requests as late as their responses: 3 s and 4 s.
        budget.completed(first, 3 * S);
        budget.completed(second, 4 * S);
        assertThat(budget.confirm(third)).isEqualTo(13 * S);
        assertThat(third.time()).isEqualTo(13 * S);
        assertThat(budget.earliestGrant(0)).isEqualTo(14 * S);
    }

    @Test
    void confirmingOnTimeKeepsTheReservation() {
        RequestBudget budget = new RequestBudget(List.of(new Window(1, Duration.ofSeconds(10))));
        RequestBudget.Grant first = budget.reserve(0);
        RequestBudget.Grant second = budget.reserve(0);
        budget.completed(first, 0);
        assertThat(budget.confirm(second)).isEqualTo(10 * S);
    }

    @Test
    void thePersonsBudgetIsSharedAcrossSubtasks() {
        PersonLookupOptions options =
                PersonLookupOptions.builder(
                                PostHogClientConfig.builder().host("http://127.0.0.1:1").build())
                        .build();
        assertThat(PersonLookupEngine.effectiveWindows(options, 1.0 / 4))
                .containsExactly(new Window(60, Duration.ofMinutes(1)));
        assertThat(PersonLookupEngine.effectiveWindows(options, 0.5 / 1000))
                .extracting(Window::permits)
                .containsExactly(1);
    }

    @Test
    void aSpentBudgetGivesItsFirstPermitOneWindowLater() {
        RequestBudget budget =
                new RequestBudget(
                        List.of(
                                new Window(3, Duration.ofSeconds(10)),
                                new Window(5, Duration.ofSeconds(60))));
        long now = Duration.ofSeconds(100).toNanos();

        budget.spendAll(now);

        assertThat(budget.earliestGrant(now)).isEqualTo(now + Duration.ofSeconds(60).toNanos());
    }
}
