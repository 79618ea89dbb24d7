package io.github.posthogflink.client.pagination;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.api.ListParams;
import io.github.posthogflink.client.testing.RecordedRequest;
import io.github.posthogflink.client.testing.RecordingServer;
import io.github.posthogflink.client.testing.Reply;
import io.github.posthogflink.client.testing.TestClients;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

import static io.github.posthogflink.client.testing.RequestAssertions.assertPrivate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaginationTest {
    private static final String FLAGS = "/api/projects/42/feature_flags/";

    @RegisterExtension final RecordingServer server = new RecordingServer();
    @RegisterExtension final RecordingServer foreign = new RecordingServer();
    private PostHogClient client;

    @BeforeEach
    void createClient() {
        client = PostHogClient.create(TestClients.config(server).build());
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** Three pages of two, one, and two flags, linked by absolute {@code next} URLs. */
    private void scriptThreePages(String nextHost) {
        String page2 = nextHost + FLAGS + "?limit=2&offset=2";
        String page3 = nextHost + FLAGS + "?limit=2&offset=4";
        server.on("GET", FLAGS)
                .withQuery("offset", "2")
                .reply(Reply.json(200, page(5, page3, flag(3), flag(4))));
        server.on("GET", FLAGS)
                .withQuery("offset", "4")
                .reply(Reply.json(200, page(5, null, flag(5))));
        server.on("GET", FLAGS).reply(Reply.json(200, page(5, page2, flag(1), flag(2))));
    }

    private static String flag(int id) {
        return "{\"id\":" + id + ",\"key\":\"flag-" + id + "\",\"active\":true,\"deleted\":false}";
    }

    private static String page(int count, String next, String... items) {
        return "{\"count\":"
                + count
                + ",\"next\":"
                + (next == null ? "null" : '"' + next + '"')
                + ",\"previous\":null,\"results\":["
                + String.join(",", items)
                + "]}";
    }

    @Test
    void iteratorFollowsAbsoluteNextLinksAcrossThreePages() {
        scriptThreePages(server.url());

        List<Integer> ids = new ArrayList<>();
        for (JsonNode flag : client.featureFlags().iterate(ListParams.create().limit(2), 100)) {
            ids.add(flag.path("id").asInt());
        }

        assertThat(ids).containsExactly(1, 2, 3, 4, 5);
        List<RecordedRequest> sent = server.requests();
        assertThat(sent).hasSize(3);
        sent.forEach(r -> assertPrivate(r, "GET", FLAGS));
        assertThat(sent.get(0).queryParam("offset")).isNull();
        assertThat(sent.get(0).queryParam("limit")).isEqualTo("2");
        assertThat(sent.get(1).rawQuery()).isEqualTo("limit=2&offset=2");
        assertThat(sent.get(2).rawQuery()).isEqualTo("limit=2&offset=4");
    }

    @Test
    void streamIsLazyAndStopsAtTheCap() {
        scriptThreePages(server.url());

        List<Integer> ids =
                client.featureFlags().iterate(ListParams.create().limit(2), 3).stream()
                        .map(f -> f.path("id").asInt())
                        .toList();

        assertThat(ids).containsExactly(1, 2, 3);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aStreamThatIsNotConsumedSendsNothing() {
        scriptThreePages(server.url());

        client.featureFlags().iterate(ListParams.create(), 100).stream();

        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aCapOfZeroSendsNothingAndAnExhaustedIteratorThrows() {
        scriptThreePages(server.url());

        Iterator<JsonNode> it = client.featureFlags().iterate(ListParams.create(), 0).iterator();

        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void eachIteratorStartsOver() {
        scriptThreePages(server.url());
        Pages<JsonNode> pages = client.featureFlags().iterate(ListParams.create().limit(2), 100);

        assertThat(pages.stream().count()).isEqualTo(5);
        assertThat(pages.stream().count()).isEqualTo(5);
        assertThat(server.requests()).hasSize(6);
    }

    @Test
    void aNextLinkToAnotherHostIsRefusedAndTheKeyIsNotSentThere() {
        scriptThreePages(foreign.url());
        foreign.on("GET", FLAGS).reply(Reply.json(200, page(5, null, flag(99))));

        Iterator<JsonNode> it =
                client.featureFlags().iterate(ListParams.create().limit(2), 100).iterator();
        assertThat(it.next().path("id").asInt()).isEqualTo(1);
        assertThat(it.next().path("id").asInt()).isEqualTo(2);

        assertThatThrownBy(it::hasNext)
                .isInstanceOfSatisfying(
                        PostHogException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo("foreign_next_link");
                            assertThat(e.isRetryable()).isFalse();
                            assertThat(e.endpoint()).isEqualTo("GET " + FLAGS);
                        });
        assertThat(foreign.requests()).isEmpty();
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aNextLinkWithAnotherSchemeIsRefused() {
        scriptThreePages("https://127.0.0.1:" + server.port());

        assertThatThrownBy(
                        () ->
                                client
                                        .featureFlags()
                                        .iterate(ListParams.create().limit(2), 100)
                                        .stream()
                                        .toList())
                .isInstanceOf(PostHogException.class);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void pagesWorkOverAnyFetchFunctions() {
        Page<String> first = new Page<>(3L, "next-1", null, List.of("a"));
        Page<String> second = new Page<>(3L, "next-2", null, List.of());
        Page<String> third = new Page<>(3L, null, null, List.of("b", "c"));
        List<String> followed = new ArrayList<>();
        Pages<String> pages =
                new Pages<>(
                        () -> CompletableFuture.completedFuture(first),
                        next -> {
                            followed.add(next);
                            return CompletableFuture.completedFuture(
                                    next.equals("next-1") ? second : third);
                        },
                        10);

        assertThat(pages.stream().toList()).containsExactly("a", "b", "c");
        assertThat(followed).containsExactly("next-1", "next-2");
        assertThatThrownBy(() -> new Pages<String>(() -> null, n -> null, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPageWithoutResultsIsEmpty() {
        Page<String> page = new Page<>(null, "", null, null);

        assertThat(page.results()).isEmpty();
        assertThat(page.hasNext()).isFalse();
    }
}
