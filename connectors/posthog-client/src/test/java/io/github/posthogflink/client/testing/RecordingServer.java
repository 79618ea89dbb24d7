package io.github.posthogflink.client.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A small HTTP server on {@code 127.0.0.1} (ephemeral port) for client tests. It records every
 * request and answers from a script per route; unscripted routes get PostHog's 404 body. Register
 * it with {@code @RegisterExtension}: it starts before and stops after each test.
 *
 * <pre>{@code
 * server.on("GET", "/api/projects/42/feature_flags/").reply(Reply.json(200, "{...}"));
 * server.on("GET", "/flags/definitions").reply(Reply.status(503), Reply.json(200, "{}"));
 * }</pre>
 */
public final class RecordingServer implements BeforeEachCallback, AfterEachCallback {
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private ExecutorService executor;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stop();
    }

    public void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool(daemonThreads());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Scripts a route. Routes are matched in the order they were added; the first whose method,
     * path and required query parameters match answers.
     */
    public Route on(String method, String path) {
        Route route = new Route(method, path);
        routes.add(route);
        return route;
    }

    /** Every request so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The requests for one method and path. */
    public List<RecordedRequest> requests(String method, String path) {
        return requests.stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path))
                .toList();
    }

    /** The only request so far; fails if there were none or several. */
    public RecordedRequest onlyRequest() {
        List<RecordedRequest> all = requests();
        if (all.size() != 1) {
            throw new AssertionError("Expected exactly one request, got " + describe(all));
        }
        return all.get(0);
    }

    public RecordedRequest lastRequest() {
        List<RecordedRequest> all = requests();
        if (all.isEmpty()) {
            throw new AssertionError("No request was made");
        }
        return all.get(all.size() - 1);
    }

    private static String describe(List<RecordedRequest> all) {
        return all.stream().map(RecordedRequest::line).toList().toString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long received = System.nanoTime();
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders()
                    .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            boolean gzip =
                    headers.getOrDefault("content-encoding", List.of()).stream()
                            .anyMatch(v -> v.equalsIgnoreCase("gzip"));
            String rawQuery = exchange.getRequestURI().getRawQuery();
            RecordedRequest request =
                    new RecordedRequest(
                            exchange.getRequestMethod(),
                            exchange.getRequestURI().getRawPath(),
                            rawQuery,
                            parseQuery(rawQuery),
                            headers,
                            raw,
                            gzip ? gunzip(raw) : raw,
                            received);
            requests.add(request);
            Reply reply = replyFor(request);
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay().toMillis()); // the scripted server-side latency
            }
            if (reply.dropConnection()) {
                return; // closing without response headers closes the connection
            }
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            boolean noBody = reply.body().length == 0 || reply.status() == 304;
            exchange.sendResponseHeaders(reply.status(), noBody ? -1 : reply.body().length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Reply replyFor(RecordedRequest request) {
        for (Route route : routes) {
            if (route.matches(request)) {
                return route.next();
            }
        }
        return Reply.error(404, "invalid_request", "not_found", "Not found.", null);
    }

    private static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            query.computeIfAbsent(decode(name), k -> new ArrayList<>()).add(decode(value));
        }
        return query;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static byte[] gunzip(byte[] raw) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            return in.readAllBytes();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "recording-server-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A scripted route: replies are used in order, the last one repeats. */
    public static final class Route {
        private final String method;
        private final String path;
        private final Map<String, String> requiredQuery = new LinkedHashMap<>();
        private final Deque<Reply> replies = new ArrayDeque<>();
        private Reply last = Reply.status(200);

        private Route(String method, String path) {
            this.method = method;
            this.path = path;
        }

        /** Only matches requests with this query parameter value. */
        public Route withQuery(String name, String value) {
            requiredQuery.put(name, value);
            return this;
        }

        public Route reply(Reply... script) {
            synchronized (this) {
                replies.addAll(List.of(script));
            }
            return this;
        }

        boolean matches(RecordedRequest request) {
            if (!request.method().equals(method) || !request.path().equals(path)) {
                return false;
            }
            return requiredQuery.entrySet().stream()
                    .allMatch(e -> e.getValue().equals(request.queryParam(e.getKey())));
        }

        synchronized Reply next() {
            if (!replies.isEmpty()) {
                last = replies.pollFirst();
            }
            return last;
        }
    }
}
