package io.github.posthogflink.client.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions shared by the endpoint tests. */
public final class RequestAssertions {
    private RequestAssertions() {}

    /**
     * A private API call: the method and path, {@code Authorization: Bearer <personal key>}, JSON
     * accepted and our User-Agent.
     */
    public static void assertPrivate(RecordedRequest r, String method, String path) {
        assertThat(r.line()).isEqualTo(method + " " + path);
        assertThat(r.header("Authorization")).isEqualTo("Bearer " + TestClients.PERSONAL_KEY);
        assertThat(r.header("Accept")).isEqualTo("application/json");
        assertThat(r.header("User-Agent")).startsWith("posthog-flink/");
    }
}
