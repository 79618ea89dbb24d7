package io.github.posthogflink.testkit.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** The JDK HTTP server with a pool of worker threads (keep-alive on). */
public final class HttpTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

    private final HttpServer server;
    private final ExecutorService workers;
    private final String baseUrl;

    private HttpTransport(HttpServer server, ExecutorService workers, String baseUrl) {
        this.server = server;
        this.workers = workers;
        this.baseUrl = baseUrl;
    }

    /** Binds and starts serving; {@code port} 0 picks a free port. */
    public static HttpTransport start(String host, int port, Function<Request, Outcome> pipeline)
            throws IOException {
        // Without TCP_NODELAY, headers and body leave in two segments and Nagle's algorithm
        // meets the client's delayed ACK: ~40 ms per request. Read once, when the JDK's server
        // configuration loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 1024);
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory threads =
                runnable -> {
                    Thread thread =
                            new Thread(
                                    runnable, "posthog-testkit-http-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                };
        ExecutorService workers = Executors.newCachedThreadPool(threads);
        int boundPort = server.getAddress().getPort();
        String urlHost = host.contains(":") ? "[" + host + "]" : host;
        if ("0.0.0.0".equals(host)) {
            urlHost = "127.0.0.1";
        }
        String baseUrl = "http://" + urlHost + ":" + boundPort;
        server.setExecutor(workers);
        server.createContext("/", exchange -> serve(exchange, pipeline, baseUrl));
        server.start();
        return new HttpTransport(server, workers, baseUrl);
    }

    private static void serve(
            HttpExchange exchange, Function<Request, Outcome> pipeline, String baseUrl) {
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Request request =
                    new Request(
                            exchange.getRequestMethod(),
                            exchange.getRequestURI().getRawPath(),
                            exchange.getRequestURI().getRawQuery(),
                            exchange.getRequestHeaders(),
                            body,
                            baseUrl);
            Outcome outcome = pipeline.apply(request);
            if (outcome.dropConnection()) {
                // Closing before the response headers closes the connection without an answer.
                exchange.close();
                return;
            }
            Response response = outcome.response();
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            boolean noBody =
                    response.status() == 204
                            || response.status() == 304
                            || "HEAD".equals(request.method());
            exchange.sendResponseHeaders(
                    response.status(),
                    noBody ? -1 : (response.body().length == 0 ? -1 : response.body().length));
            if (!noBody && response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (IOException e) {
            LOG.debug("Client connection failed: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("Unexpected error serving a request", e);
        } finally {
            exchange.close();
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
