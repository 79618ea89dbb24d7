package io.github.posthogflink.benchmarks;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** A loopback HTTP server that drains the body and answers {@code {"status":"Ok"}} at once. */
final class InstantServer implements AutoCloseable {
    private static final byte[] OK = "{\"status\":\"Ok\"}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong bodyBytes = new AtomicLong();

    InstantServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext(
                "/",
                exchange -> {
                    try (InputStream in = exchange.getRequestBody()) {
                        bodyBytes.addAndGet(in.readAllBytes().length);
                    }
                    requests.incrementAndGet();
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, OK.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(OK);
                    }
                });
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
