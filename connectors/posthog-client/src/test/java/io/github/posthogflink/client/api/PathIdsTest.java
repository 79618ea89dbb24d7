package io.github.posthogflink.client.api;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.testing.RecordedRequest;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.TestClients;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ids that come from data (session ids, distinct ids, uuids) stay one path segment: they can never
 * reach another endpoint with the personal key, or add a query.
 */
class PathIdsTest {
    @RegisterExtension final RecordingServer server = new RecordingServer();
    private PostHogClient client;

    @BeforeEach
    void createClient() {
        client = PostHogClient.create(TestClients.config(server).build());
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    static Stream<Arguments> calls() {
        return Stream.of(
                call(
                        "recording delete with ../",
                        c -> c.sessionRecordings().delete("../persons/abc"),
                        "DELETE /api/projects/42/session_recordings/..%2Fpersons%2Fabc/"),
                call(
                        "flag get with a query",
                        c -> c.featureFlags().get("1?deleted=true#x"),
                        "GET /api/projects/42/feature_flags/1%3Fdeleted%3Dtrue%23x/"),
                call(
                        "person update with a space and unicode",
                        c -> c.persons().updateProperties("a b/é", Map.of("k", "v")),
                        "PATCH /api/projects/42/persons/a%20b%2F%C3%A9/"),
                call(
                        "person delete with ../",
                        c -> c.persons().delete("../../../users/@me"),
                        "DELETE /api/projects/42/persons/..%2F..%2F..%2Fusers%2F@me/"),
                call(
                        "query cancel with ../",
                        c -> c.query().cancel("../feature_flags/1"),
                        "DELETE /api/projects/42/query/..%2Ffeature_flags%2F1/"),
                call(
                        "user get with ../",
                        c -> c.users().get("../projects/42"),
                        "GET /api/users/..%2Fprojects%2F42/"),
                call(
                        "plain ids are unchanged",
                        c -> c.users().get("0187c2a1-1111-0000-aaaa-bbbbccccdddd"),
                        "GET /api/users/0187c2a1-1111-0000-aaaa-bbbbccccdddd/"));
    }

    private static Arguments call(
            String name, Function<PostHogClient, CompletableFuture<?>> call, String expected) {
        return Arguments.of(name, call, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void idsAreEncodedAsOnePathSegment(
            String name, Function<PostHogClient, CompletableFuture<?>> call, String expected) {
        assertThatThrownBy(() -> PostHogClient.await(call.apply(client)))
                .isInstanceOf(PostHogException.class); // the server knows none of these

        assertThat(server.requests()).extracting(RecordedRequest::line).containsExactly(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", ".."})
    void dotSegmentsAndEmptyIdsAreRefused(String id) {
        assertThatThrownBy(() -> PostHogClient.await(client.sessionRecordings().delete(id)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostHogClient.await(client.persons().get(id)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.requests()).isEmpty();
    }
}
