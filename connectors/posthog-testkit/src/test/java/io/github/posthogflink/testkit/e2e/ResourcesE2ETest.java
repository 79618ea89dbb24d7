package io.github.posthogflink.testkit.e2e;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.api.ListParams;
import io.github.posthogflink.client.api.ResourceApi;
import io.github.posthogflink.client.pagination.Page;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.inspect.RecordedRequest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.github.posthogflink.testkit.e2e.E2EClients.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Every generic resource group, and the users API, through the real client. */
class ResourcesE2ETest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private static PostHogClient client;

    @BeforeAll
    static void connect() {
        client = E2EClients.client(posthog);
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    /** How PostHog deletes each group: hard, or soft with the item still retrievable or not. */
    enum Deletion {
        HARD,
        SOFT_RETRIEVABLE,
        SOFT_HIDDEN
    }

    static Stream<Arguments> groups() {
        return Stream.of(
                group("insights", PostHogClient::insights, Deletion.SOFT_HIDDEN),
                group("dashboards", PostHogClient::dashboards, Deletion.SOFT_HIDDEN),
                group("annotations", PostHogClient::annotations, Deletion.SOFT_HIDDEN),
                group("cohorts", PostHogClient::cohorts, Deletion.SOFT_RETRIEVABLE),
                group("experiments", PostHogClient::experiments, Deletion.SOFT_RETRIEVABLE),
                group("surveys", PostHogClient::surveys, Deletion.HARD),
                group("actions", PostHogClient::actions, Deletion.SOFT_RETRIEVABLE));
    }

    private static Arguments group(
            String name, Function<PostHogClient, ResourceApi> api, Deletion deletion) {
        return Arguments.of(name, api, deletion);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("groups")
    void createGetListUpdateDelete(
            String name, Function<PostHogClient, ResourceApi> group, Deletion deletion) {
        ResourceApi api = group.apply(client);

        JsonNode created = await(api.create(Map.of("name", "first", "description", "e2e")));
        Object id =
                created.get("id").isNumber()
                        ? created.get("id").asLong()
                        : created.get("id").asText();
        await(api.create(Map.of("name", "second")));
        JsonNode fetched = await(api.get(id));
        Page<JsonNode> listed = await(api.list(ListParams.create()));
        JsonNode updated = await(api.update(id, Map.of("name", "renamed")));
        await(api.delete(id));
        Page<JsonNode> afterDelete = await(api.list(ListParams.create()));

        assertThat(fetched.get("name").asText()).isEqualTo("first");
        assertThat(listed.results()).hasSize(2);
        assertThat(updated.get("name").asText()).isEqualTo("renamed");
        assertThat(updated.get("description").asText()).isEqualTo("e2e");
        assertThat(afterDelete.results())
                .extracting(r -> r.get("name").asText())
                .containsExactly("second");
        String itemPath = "/api/projects/1/" + name + "/" + id + "/";
        RecordedRequest deleteCall =
                posthog.requests().stream()
                        .filter(r -> r.path().equals(itemPath))
                        .reduce((first, second) -> second)
                        .orElseThrow();
        switch (deletion) {
            case HARD -> {
                assertThat(deleteCall.method()).isEqualTo("DELETE");
                assertThat(deleteCall.status()).isEqualTo(204);
                E2EClients.failure(api.get(id), 404);
            }
            case SOFT_RETRIEVABLE -> {
                assertThat(deleteCall.method()).isEqualTo("PATCH");
                assertThat(await(api.get(id)).get("deleted").asBoolean()).isTrue();
            }
            case SOFT_HIDDEN -> {
                assertThat(deleteCall.method()).isEqualTo("PATCH");
                E2EClients.failure(api.get(id), 404);
                assertThat(await(api.update(id, Map.of("deleted", false))).get("name").asText())
                        .isEqualTo("renamed");
                assertThat(await(api.list(ListParams.create())).results()).hasSize(2);
            }
        }
        assertThat(posthog.requests()).extracting(RecordedRequest::status).doesNotContain(405);
    }

    /** PostHog pages recordings by offset and answers has_next, without count or links. */
    @Test
    void sessionRecordingsIterateByOffsetPastTheFirstPage() {
        for (int i = 0; i < 120; i++) {
            posthog.seed().sessionRecording(Json.object().put("id", "rec-" + i));
        }
        ResourceApi recordings = client.sessionRecordings();

        Page<JsonNode> first = await(recordings.list(ListParams.create().limit(50)));
        List<String> all =
                recordings.iterate(ListParams.create().limit(50), 1_000).stream()
                        .map(r -> r.get("id").asText())
                        .toList();
        List<String> fromTen =
                recordings.iterate(ListParams.create().limit(50).offset(10), 1_000).stream()
                        .map(r -> r.get("id").asText())
                        .toList();

        assertThat(first.hasNext()).isFalse();
        assertThat(first.hasMoreByOffset()).isTrue();
        assertThat(all)
                .containsExactlyElementsOf(
                        IntStream.range(0, 120).mapToObj(i -> "rec-" + i).toList());
        assertThat(fromTen).hasSize(110).startsWith("rec-10").endsWith("rec-119");
        assertThat(
                        posthog.requests().stream()
                                .filter(r -> r.path().endsWith("/session_recordings/"))
                                .map(RecordedRequest::query))
                .contains("limit=50&offset=50", "limit=50&offset=100");
    }

    @Test
    void sessionRecordingsAreListedFetchedAndDeletedButNotCreated() {
        posthog.seed()
                .sessionRecording(
                        Json.object()
                                .put("id", "s1")
                                .put("distinct_id", "u1")
                                .put("recording_duration", 42));
        posthog.seed().sessionRecording(Json.object().put("id", "s2"));
        ResourceApi recordings = client.sessionRecordings();

        Page<JsonNode> listed = await(recordings.list(ListParams.create()));
        JsonNode s1 = await(recordings.get("s1"));
        await(recordings.delete("s1"));

        assertThat(listed.results())
                .extracting(r -> r.get("id").asText())
                .containsExactly("s1", "s2");
        assertThat(s1.get("recording_duration").asInt()).isEqualTo(42);
        E2EClients.failure(recordings.get("s1"), 404);
        assertThat(await(recordings.list(ListParams.create())).results()).hasSize(1);
        // Recordings come from ingestion: PostHog's viewset has no create or update.
        E2EClients.failure(recordings.create(Map.of("id", "s3")), 405);
        E2EClients.failure(recordings.update("s2", Map.of("viewed", true)), 405);
    }

    @Test
    void usersMe() {
        JsonNode me = await(client.users().me());
        JsonNode byUuid = await(client.users().get(me.get("uuid").asText()));

        assertThat(me.get("email").asText()).contains("@");
        assertThat(byUuid.get("uuid").asText()).isEqualTo(me.get("uuid").asText());
        assertThat(posthog.requests())
                .extracting(RecordedRequest::path)
                .contains("/api/users/@me/");
    }
}
