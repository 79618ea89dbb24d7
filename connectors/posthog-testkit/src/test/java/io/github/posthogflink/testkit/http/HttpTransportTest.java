package io.github.posthogflink.testkit.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** HTTP/1.1 as clients expect it from the transport, on raw sockets where bytes matter. */
class HttpTransportTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunning = new AtomicInteger();
    private HttpTransport transport;

    @AfterEach
    void stop() {
        release.countDown();
        if (transport != null) {
            transport.close();
        }
    }

    private HttpTransport start(int maxBodyBytes, int workers) throws Exception {
        transport =
                HttpTransport.start(
                        new HttpTransport.Settings("127.0.0.1", 0, maxBodyBytes, workers),
                        this::serve);
        return transport;
    }

    private HttpTransport start() throws Exception {
        return start(1024, 4);
    }

    /** /echo/x answers x (and the body's length), /slow/ms/x after ms, /status/n, /block. */
    private Outcome serve(Request request) {
        String[] parts = request.path().split("/");
        switch (parts[1]) {
            case "echo":
                return Outcome.respond(Response.text(200, parts[2] + ":" + request.body().length));
            case "slow":
                return Outcome.after(
                        Duration.ofMillis(Long.parseLong(parts[2])),
                        () -> Outcome.respond(Response.text(200, parts[3])));
            case "status":
                return Outcome.respond(Response.text(Integer.parseInt(parts[2]), "not sent"));
            case "drop":
                return Outcome.drop();
            case "block":
                mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                }
                return Outcome.respond(Response.text(200, "released"));
            default:
                throw new IllegalStateException("no route " + request.path());
        }
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n";
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
        start();
        try (RawConnection connection = new RawConnection(transport.port())) {
            connection.send(get("/slow/300/first") + get("/slow/0/second") + get("/echo/third"));

            assertThat(connection.read().body()).isEqualTo("first");
            assertThat(connection.read().body()).isEqualTo("second");
            assertThat(connection.read().body()).isEqualTo("third:0");
        }
        assertThat(transport.stats().connectionsOpened()).isEqualTo(1);
    }

    @Test
    void headGetsTheLengthOfTheBodyButNoBody() throws Exception {
        start();
        try (RawConnection connection = new RawConnection(transport.port())) {
            connection.send("HEAD /echo/abc HTTP/1.1\r\nHost: t\r\n\r\n" + get("/echo/next"));

            RawConnection.Answer head = connection.read(false);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("5");
            // Had the HEAD answer carried a body, this would read it instead of the next answer.
            assertThat(connection.read().body()).isEqualTo("next:0");
        }
    }

    @Test
    void answers204And304WithoutABodyOrContentLength() throws Exception {
        start();
        try (RawConnection connection = new RawConnection(transport.port())) {
            connection.send(get("/status/204") + get("/status/304") + get("/echo/after"));

            RawConnection.Answer noContent = connection.read(false);
            RawConnection.Answer notModified = connection.read(false);
            assertThat(noContent.status()).isEqualTo(204);
            assertThat(noContent.header("content-length")).isNull();
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.header("content-length")).isNull();
            assertThat(connection.read().body()).isEqualTo("after:0");
        }
    }

    @Test
    void connectionCloseIsAnsweredThenClosed() throws Exception {
        start();
        try (RawConnection connection = new RawConnection(transport.port())) {
            connection.send("GET /echo/bye HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");

            RawConnection.Answer answer = connection.read();
            assertThat(answer.body()).isEqualTo("bye:0");
            assertThat(answer.header("connection")).isEqualToIgnoringCase("close");
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void http10KeepsTheConnectionOnlyWhenAsked() throws Exception {
        start();
        try (RawConnection keep = new RawConnection(transport.port());
                RawConnection once = new RawConnection(transport.port())) {
            keep.send("GET /echo/a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            once.send("GET /echo/b HTTP/1.0\r\n\r\n");

            assertThat(keep.read().header("connection")).isEqualToIgnoringCase("keep-alive");
            keep.send("GET /echo/c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(keep.read().body()).isEqualTo("c:0");
            assertThat(once.read().body()).isEqualTo("b:0");
            assertThat(once.closedByServer()).isTrue();
        }
    }

    @Test
    void expectContinueGetsA100ThenTheAnswer() throws Exception {
        start();
        try (RawConnection connection = new RawConnection(transport.port())) {
            connection.send(
                    "POST /echo/body HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
                            + "Expect: 100-continue\r\n\r\n");
            assertThat(connection.read(false).status()).isEqualTo(100);
            connection.send("hello");

            assertThat(connection.read().body()).isEqualTo("body:5");
        }
    }

    @Test
    void expectContinueOverTheCapGets413AndTheConnectionStaysUsable() throws Exception {
        start();
        try (RawConnection connection = new RawConnection(transport.port())) {
            connection.send(
                    "POST /echo/big HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n"
                            + "Expect: 100-continue\r\n\r\n");

            RawConnection.Answer answer = connection.read();
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.body()).isEqualTo("payload too large");
            connection.send(get("/echo/next"));
            assertThat(connection.read().body()).isEqualTo("next:0");
        }
        assertThat(transport.stats().snapshot()).containsEntry("transport.status.413", 1L);
    }

    @Test
    void aBodyOverTheCapGets413InTurnAndIsDiscarded() throws Exception {
        start();
        try (RawConnection connection = new RawConnection(transport.port())) {
            connection.send(
                    get("/slow/200/before")
                            + "POST /echo/big HTTP/1.1\r\nHost: t\r\nContent-Length: 2000\r\n\r\n"
                            + "x".repeat(2000)
                            + get("/echo/after"));

            assertThat(connection.read().body()).isEqualTo("before");
            assertThat(connection.read().status()).isEqualTo(413);
            assertThat(connection.read().body()).isEqualTo("after:0");
        }
    }

    @Test
    void aChunkedBodyGrowingOverTheCapGets413AndTheConnectionCloses() throws Exception {
        start();
        try (RawConnection connection = new RawConnection(transport.port())) {
            String chunk = "x".repeat(600);
            connection.send(
                    "POST /echo/chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "258\r\n"
                            + chunk
                            + "\r\n258\r\n"
                            + chunk
                            + "\r\n0\r\n\r\n");

            RawConnection.Answer answer = connection.read();
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.header("connection")).isEqualToIgnoringCase("close");
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void aChunkedBodyWithinTheCapArrivesWhole() throws Exception {
        start();
        try (RawConnection connection = new RawConnection(transport.port())) {
            connection.send(
                    "POST /echo/chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");

            assertThat(connection.read().body()).isEqualTo("chunked:7");
        }
    }

    @Test
    void aMalformedRequestGets400AndTheConnectionCloses() throws Exception {
        start();
        try (RawConnection connection = new RawConnection(transport.port())) {
            connection.send("GET /echo/x HTTP/1.1\r\nContent-Length: nope\r\n\r\n");

            assertThat(connection.read().status()).isEqualTo(400);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void atMostTheConfiguredWorkersRunHandlersAndTheRestWaitTheirTurn() throws Exception {
        start(1024, 2);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(
                    client.sendAsync(
                            HttpRequest.newBuilder(URI.create(transport.baseUrl() + "/block"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> running.get() == 2);
        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(5))
                .until(() -> running.get() == 2);

        release.countDown();

        for (CompletableFuture<HttpResponse<String>> call : calls) {
            assertThat(call.get(20, TimeUnit.SECONDS).body()).isEqualTo("released");
        }
        assertThat(mostRunning.get()).isEqualTo(2);
    }

    @Test
    void aDelayHoldsNoWorkerThread() throws Exception {
        start(1024, 1);
        try (RawConnection slow = new RawConnection(transport.port());
                RawConnection fast = new RawConnection(transport.port())) {
            slow.send(get("/slow/60000/late"));
            fast.send(get("/echo/now"));

            // Were the one worker asleep in the delay, this read would time out.
            assertThat(fast.read().body()).isEqualTo("now:0");
        }
    }

    @Test
    void aDroppedOutcomeClosesWithoutAnAnswer() throws Exception {
        start();
        try (RawConnection connection = new RawConnection(transport.port())) {
            connection.send(get("/drop") + get("/echo/never"));

            assertThat(connection.closedByServer()).isTrue();
        }
        await().untilAsserted(
                        () ->
                                assertThat(transport.stats().snapshot())
                                        .containsEntry("transport.connections.fault_dropped", 1L)
                                        .containsEntry("transport.connections.dropped", 0L));
    }

    @Test
    void manyConcurrentKeepAliveClientsLoseNoConnection() throws Exception {
        start(1024, 4);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        int perThread = 250;
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                results.add(
                        pool.submit(
                                () -> {
                                    int ok = 0;
                                    for (int i = 0; i < perThread; i++) {
                                        HttpResponse<String> response =
                                                client.send(
                                                        HttpRequest.newBuilder(
                                                                        URI.create(
                                                                                transport.baseUrl()
                                                                                        + "/echo/"
                                                                                        + i))
                                                                .POST(
                                                                        HttpRequest.BodyPublishers
                                                                                .ofString("abc"))
                                                                .build(),
                                                        HttpResponse.BodyHandlers.ofString());
                                        if (response.body().equals(i + ":3")) {
                                            ok++;
                                        }
                                    }
                                    return ok;
                                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(perThread);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(transport.stats().requests()).isEqualTo(16L * perThread);
        assertThat(transport.stats().droppedConnections()).isZero();
        assertThat(transport.stats().peerClosedWithPendingRequests()).isZero();
    }
}
