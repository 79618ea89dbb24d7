package io.github.posthogflink.client.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HTTP proxy on loopback, over real sockets: {@code CONNECT host:port} tunnels, and
 * absolute-form requests ({@code POST http://host:port/path}) are forwarded as they are. It records
 * the first request line of each connection and its {@code Proxy-Authorization}, and answers 407
 * without the expected credentials when {@link #requireAuthorization(String)} was called. Every
 * host name is taken to mean loopback, so tests can name hosts that Java's default proxy selector
 * does not exempt (it never proxies loopback addresses) and that need no DNS.
 */
public final class ForwardingProxy implements AutoCloseable {

    /** The first request of a proxied connection. */
    public record Seen(String requestLine, String proxyAuthorization) {}

    private final ServerSocket socket;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile String requiredAuthorization;

    public ForwardingProxy() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "test-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Answers 407 unless the request carries this {@code Proxy-Authorization} value. */
    public void requireAuthorization(String value) {
        this.requiredAuthorization = value;
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                open.add(client);
                Thread handler = new Thread(() -> handle(client), "test-proxy-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            String text = new String(head, StandardCharsets.ISO_8859_1);
            String requestLine = text.substring(0, text.indexOf("\r\n"));
            String authorization = header(text, "proxy-authorization");
            seen.add(new Seen(requestLine, authorization));
            OutputStream out = client.getOutputStream();
            if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
                out.write(
                        ("HTTP/1.1 407 Proxy Authentication Required\r\n"
                                        + "Proxy-Authenticate: Basic realm=\"test\"\r\n"
                                        + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                client.close();
                return;
            }
            String[] parts = requestLine.split(" ");
            Socket upstream;
            if (parts[0].equals("CONNECT")) {
                String[] target = parts[1].split(":");
                upstream =
                        new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(target[1]));
                out.write(
                        "HTTP/1.1 200 Connection established\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
            } else {
                URI target = URI.create(parts[1]);
                upstream = new Socket(InetAddress.getLoopbackAddress(), target.getPort());
                upstream.getOutputStream().write(head);
            }
            open.add(upstream);
            pipe(upstream.getInputStream(), out);
            pipe(in, upstream.getOutputStream());
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
        }
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the request head");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0
                    && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private void pipe(InputStream from, OutputStream to) {
        Thread thread =
                new Thread(
                        () -> {
                            try {
                                from.transferTo(to);
                            } catch (IOException e) {
                                // the other side closed
                            }
                        },
                        "test-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        open.forEach(ForwardingProxy::closeQuietly);
    }
}
