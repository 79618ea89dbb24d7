package io.github.posthogflink.client.testing;

import io.github.posthogflink.client.http.HttpTransport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test server itself: routing, scripts, recording and gzip decoding. */
class RecordingServerTest {
    @RegisterExtension final RecordingServer server = new RecordingServer();
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder to(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery));
    }

    @Test
    void repliesFollowTheScriptAndTheLastOneRepeats() throws Exception {
        server.on("GET", "/a/")
                .reply(
                        Reply.status(503),
                        Reply.json(200, "{\"ok\":true}").header("ETag", "\"e1\""));

        assertThat(send(to("/a/")).statusCode()).isEqualTo(503);
        HttpResponse<String> second = send(to("/a/"));
        HttpResponse<String> third = send(to("/a/"));

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo("{\"ok\":true}");
        assertThat(second.headers().firstValue("ETag")).contains("\"e1\"");
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void unscriptedRoutesGetPostHogsNotFound() throws Exception {
        HttpResponse<String> response = send(to("/nowhere/"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"code\":\"not_found\"");
    }

    @Test
    void routesCanRequireAQueryParameter() throws Exception {
        server.on("GET", "/p/").withQuery("offset", "2").reply(Reply.json(200, "two"));
        server.on("GET", "/p/").reply(Reply.json(200, "one"));

        assertThat(send(to("/p/?offset=2")).body()).isEqualTo("two");
        assertThat(send(to("/p/?limit=1")).body()).isEqualTo("one");
    }

    @Test
    void recordsMethodPathQueryHeadersAndGunzippedBody() throws Exception {
        server.on("POST", "/batch/").reply(Reply.status(200));
        byte[] gzipped = HttpTransport.gzip("{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        send(
                to("/batch/?x=1&x=2&token=a%20b&flag")
                        .header("Content-Encoding", "gzip")
                        .header("X-Test", "yes")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped)));

        RecordedRequest r = server.onlyRequest();
        assertThat(r.line()).isEqualTo("POST /batch/");
        assertThat(r.query())
                .containsEntry("x", List.of("1", "2"))
                .containsEntry("token", List.of("a b"))
                .containsEntry("flag", List.of(""));
        assertThat(r.header("x-test")).isEqualTo("yes");
        assertThat(r.header("X-TEST")).isEqualTo("yes");
        assertThat(r.rawBody()).isEqualTo(gzipped);
        assertThat(r.json().path("a").asInt()).isEqualTo(1);
    }

    @Test
    void aDroppedConnectionGivesNoResponse() {
        server.on("POST", "/drop/").reply(Reply.drop());

        // A POST, which the JDK client does not repeat on its own.
        assertThatThrownBy(() -> send(to("/drop/").POST(HttpRequest.BodyPublishers.ofString("x"))))
                .isInstanceOf(IOException.class);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void onlyRequestInsistsOnExactlyOne() {
        assertThatThrownBy(server::onlyRequest).isInstanceOf(AssertionError.class);
        assertThatThrownBy(server::lastRequest).isInstanceOf(AssertionError.class);
    }
}
