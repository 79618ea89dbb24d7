package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.PostHogClientConfig;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersonLookupOptionsTest {
    private static final PostHogClientConfig CLIENT =
            PostHogClientConfig.builder()
                    .host("http://127.0.0.1:1")
                    .personalApiKey("phx_secret_personal_key")
                    .build();

    @Test
    void defaults() {
        PersonLookupOptions o = PersonLookupOptions.builder(CLIENT).build();
        assertThat(o.lookupKey()).isEqualTo(LookupKey.BY_DISTINCT_ID);
        assertThat(o.batchWindow()).isEqualTo(Duration.ofMillis(10));
        assertThat(o.maxBatchSize()).isEqualTo(200);
        assertThat(o.cacheMaxRows()).isEqualTo(100_000);
        assertThat(o.cacheMaxBytes()).isEqualTo(128L * 1024 * 1024);
        assertThat(o.cacheTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(o.negativeCacheTtl()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.budgetPolicy()).isEqualTo(BudgetPolicy.WAIT);
        assertThat(o.budgetShare()).isEqualTo(1.0);
        // posthog/api/person.py: personal-key reads get ClickHouseBurstRateThrottle only.
        assertThat(o.budgetWindows())
                .containsExactly(
                        new io.github.posthogflink.client.ratelimit.RateLimitClass.Window(
                                240, Duration.ofMinutes(1)));
        assertThat(o.asyncCapacity()).isEqualTo(1000);
        assertThat(PersonEnrichment.asyncTimeoutMillis(o)).isZero();
    }

    @Test
    void serializableAndKeepsKeysOutOfToString() throws Exception {
        PersonLookupOptions o =
                PersonLookupOptions.builder(CLIENT).byProperty("plan").cacheMaxRows(5).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        PersonLookupOptions copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (PersonLookupOptions) in.readObject();
        }
        assertThat(copy.propertyKey()).isEqualTo("plan");
        assertThat(copy.cacheMaxRows()).isEqualTo(5);
        assertThat(o.toString()).doesNotContain("phx_secret_personal_key");
    }

    @Test
    void rejectsInvalidSettings() {
        assertThatThrownBy(() -> PersonLookupOptions.builder(CLIENT).maxBatchSize(201).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PersonLookupOptions.builder(CLIENT).budgetShare(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PersonLookupOptions.builder(CLIENT).byProperty(" ").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                PersonLookupOptions.builder(CLIENT)
                                        .negativeCacheTtl(Duration.ZERO)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emailLookupsMatchTheEmailProperty() {
        assertThat(PersonLookupOptions.builder(CLIENT).byEmail().build().propertyKey())
                .isEqualTo("email");
    }
}
