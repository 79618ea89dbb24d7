package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.capture.PostHogEvent;

import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostHogSinkBuilderTest {

    private static PostHogSinkBuilder<PostHogEvent> builder() {
        return PostHogSink.<PostHogEvent>builder()
                .setProjectApiKey("phc_secret_project_key")
                .setConverter(PostHogEventConverters.events());
    }

    @Test
    void appliesTheDocumentedDefaults() {
        AsyncSinkWriterConfiguration config = builder().build().writerConfiguration();

        assertThat(config.getMaxBatchSize()).isEqualTo(2_000);
        assertThat(config.getMaxInFlightRequests()).isEqualTo(4);
        assertThat(config.getMaxBufferedRequests()).isEqualTo(10_000);
        assertThat(config.getMaxBatchSizeInBytes()).isEqualTo(5L * 1024 * 1024);
        assertThat(config.getMaxTimeInBufferMS()).isEqualTo(1_000);
        assertThat(config.getMaxRecordSizeInBytes()).isEqualTo(990_000);
        assertThat(config.isFailOnTimeout()).isFalse();
        PostHogSinkSettings settings = builder().build().settings();
        assertThat(settings.gzip()).isTrue();
        assertThat(settings.historicalMigration()).isFalse();
        assertThat(settings.clientConfig().host()).isEqualTo("https://us.i.posthog.com");
        assertThat(settings.deliveryTimeout()).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(settings.maxRetries()).isEqualTo(RetryBudget.UNBOUNDED);
    }

    @Test
    void refusesIncompleteOrUnsafeSettings() {
        assertThatThrownBy(
                        () -> PostHogSink.<PostHogEvent>builder().setProjectApiKey("phc_x").build())
                .hasMessageContaining("setConverter");
        assertThatThrownBy(
                        () ->
                                PostHogSink.<PostHogEvent>builder()
                                        .setConverter(PostHogEventConverters.events())
                                        .build())
                .hasMessageContaining("setProjectApiKey");
        assertThatThrownBy(() -> builder().setProjectApiKey("phx_personal").build())
                .hasMessageContaining("project API key")
                .hasMessageNotContaining("phx_personal");
        assertThatThrownBy(() -> builder().setMaxBatchSizeInBytes(21L * 1024 * 1024).build())
                .hasMessageContaining("20 MB");
        assertThatThrownBy(() -> builder().setDeliveryTimeout(java.time.Duration.ZERO))
                .hasMessageContaining("deliveryTimeout");
        assertThatThrownBy(() -> builder().setMaxRetries(-1)).hasMessageContaining("maxRetries");
    }

    @Test
    void isSerializableAndNeverShowsTheKey() throws Exception {
        PostHogSink<PostHogEvent> sink = builder().setEventIdentity(e -> e.event()).build();

        PostHogSink<PostHogEvent> copy = InstantiationUtil.clone(sink, getClass().getClassLoader());
        assertThat(copy.settings().clientConfig().projectApiKey())
                .isEqualTo("phc_secret_project_key");
        assertThat(sink.settings().toString()).doesNotContain("phc_secret_project_key");
    }
}
