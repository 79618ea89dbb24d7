package io.github.posthogflink.testkit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The sink's tests send 50k events: the server must take them quickly and lose none. */
class ThroughputTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    @Test
    void takes50kEventsInConcurrentBatches() throws Exception {
        TestHttp http = new TestHttp(posthog);
        int requests = 500;
        int perRequest = 100;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int r = 0; r < requests; r++) {
                int request = r;
                results.add(
                        pool.submit(
                                () -> {
                                    StringBuilder body =
                                            new StringBuilder(
                                                    "{\"api_key\":\""
                                                            + posthog.projectApiKey()
                                                            + "\",\"batch\":[");
                                    for (int i = 0; i < perRequest; i++) {
                                        if (i > 0) {
                                            body.append(',');
                                        }
                                        body.append("{\"event\":\"e\",\"distinct_id\":\"u")
                                                .append(request % 50)
                                                .append("\",\"properties\":{\"n\":")
                                                .append(request * perRequest + i)
                                                .append("}}");
                                    }
                                    body.append("]}");
                                    return http.post("/batch/", body.toString()).status();
                                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(posthog.events()).hasSize(requests * perRequest);
        assertThat(posthog.dedupedEvents()).hasSize(requests * perRequest);
        assertThat(posthog.persons()).hasSize(50);
    }

    /**
     * Once failed with {@code HTTP/1.1 header parser received no bytes}: the JDK server closed a
     * kept-alive connection without answering. Rates are the benchmark's (testkit-ingest).
     */
    @Test
    void thousandsOfSmallConcurrentRequestsAreAllAnsweredAndNoConnectionIsDropped()
            throws Exception {
        TestHttp http = new TestHttp(posthog);
        String body =
                "{\"api_key\":\""
                        + posthog.projectApiKey()
                        + "\",\"event\":\"e\",\"distinct_id\":\"u\"}";
        int total = 4000;
        Map<String, Long> before = posthog.counters();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                results.add(
                        pool.submit(
                                () ->
                                        http.sendOrThrow(
                                                        "POST",
                                                        "/i/v0/e/",
                                                        body.getBytes(StandardCharsets.UTF_8))
                                                .status()));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }

        Map<String, Long> after = posthog.counters();
        assertThat(after.get("transport.connections.dropped")).isZero();
        assertThat(after.get("transport.connections.peer_closed_pending")).isZero();
        assertThat(after.get("transport.responses") - before.get("transport.responses"))
                .isEqualTo(total);
    }
}
