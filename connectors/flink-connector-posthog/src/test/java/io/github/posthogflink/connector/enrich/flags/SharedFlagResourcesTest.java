package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.PostHogClientConfig;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SharedFlagResourcesTest {
    private static FlagEnrichmentOptions options(String personalKey) {
        return FlagEnrichmentOptions.builder(
                        PostHogClientConfig.builder()
                                .host("http://127.0.0.1:9")
                                .projectApiKey("phc_shared_project")
                                .personalApiKey(personalKey)
                                .build())
                .pollInterval(Duration.ofHours(1))
                .build();
    }

    @Test
    void subtasksWithTheSameCredentialsShareOneEntryUntilTheLastCloses() {
        int before = SharedFlagResources.openEntries();
        SharedFlagResources.Lease first = SharedFlagResources.acquire(options("phx_one"), 2);
        SharedFlagResources.Lease second = SharedFlagResources.acquire(options("phx_one"), 2);
        SharedFlagResources.Lease other = SharedFlagResources.acquire(options("phx_two"), 2);

        assertThat(SharedFlagResources.openEntries()).isEqualTo(before + 2);
        assertThat(first.client()).isSameAs(second.client()).isNotSameAs(other.client());
        assertThat(first.definitions(Duration.ofHours(1)))
                .isSameAs(second.definitions(Duration.ofHours(1)));
        assertThat(first.remoteCalls()).isSameAs(second.remoteCalls());

        first.close();
        first.close(); // a second close is a no-op
        assertThat(SharedFlagResources.openEntries()).isEqualTo(before + 2);
        second.close();
        other.close();
        assertThat(SharedFlagResources.openEntries()).isEqualTo(before);
    }

    @Test
    void theDefinitionsBudgetIsSplitAcrossTheParallelism() {
        try (SharedFlagResources.Lease lease =
                SharedFlagResources.acquire(options("phx_budget"), 4)) {
            assertThat(lease.client().config().rateLimitPolicy().share()).isEqualTo(0.25);
            assertThat(lease.client().config().retryPolicy().maxRetries()).isEqualTo(2);
        }
    }

    @Test
    void operatorsWithOtherSettingsOrParallelismGetTheirOwnEntryWhicheverOpensFirst() {
        FlagEnrichmentOptions defaults = options("phx_settings");
        FlagEnrichmentOptions noRetries =
                FlagEnrichmentOptions.builder(defaults.client())
                        .pollInterval(Duration.ofHours(1))
                        .remoteMaxRetries(0)
                        .build();
        FlagEnrichmentOptions slowerPolls =
                FlagEnrichmentOptions.builder(defaults.client())
                        .pollInterval(Duration.ofHours(2))
                        .build();
        try (SharedFlagResources.Lease one = SharedFlagResources.acquire(defaults, 1);
                SharedFlagResources.Lease four = SharedFlagResources.acquire(defaults, 4);
                SharedFlagResources.Lease fourAgain = SharedFlagResources.acquire(defaults, 4);
                SharedFlagResources.Lease strict = SharedFlagResources.acquire(noRetries, 4);
                SharedFlagResources.Lease slow = SharedFlagResources.acquire(slowerPolls, 4)) {
            // Opened first with parallelism 1, the entry must not hand its whole budget to a
            // parallelism-4 operator (four TaskManagers could then poll at 4 x 600/min).
            assertThat(one.client().config().rateLimitPolicy().share()).isEqualTo(1.0);
            assertThat(four.client()).isNotSameAs(one.client()).isSameAs(fourAgain.client());
            assertThat(four.client().config().rateLimitPolicy().share()).isEqualTo(0.25);
            assertThat(strict.client()).isNotSameAs(four.client());
            assertThat(strict.client().config().retryPolicy().maxRetries()).isZero();
            assertThat(four.client().config().retryPolicy().maxRetries()).isEqualTo(2);
            assertThat(slow.client()).isNotSameAs(four.client());
            assertThat(slow.definitions(Duration.ofHours(2)))
                    .isNotSameAs(four.definitions(Duration.ofHours(1)));
        }
    }

    @Test
    void registryKeysNeverHoldSecrets() {
        String key = SharedFlagResources.keyOf(options("phx_very_secret"), 2);
        assertThat(key).doesNotContain("phx_very_secret").doesNotContain("phc_shared_project");
        assertThat(key).startsWith("http://127.0.0.1:9|");
    }
}
