package io.github.posthogflink.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection on a plain socket: sends prepared request bytes and reads each
 * answer's status and body length, so that the client costs almost nothing next to the server it
 * measures. A connection the server closes before answering is counted as dropped, and the next
 * request reconnects.
 */
final class RawHttpClient implements AutoCloseable {
    private final InetSocketAddress address;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    long dropped;
    long connections;

    RawHttpClient(String baseUrl) {
        URI uri = URI.create(baseUrl);
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    /** A POST's bytes, headers and body, ready to send again and again. */
    static byte[] post(String path, String contentType, boolean gzip, byte[] body) {
        String head =
                "POST "
                        + path
                        + " HTTP/1.1\r\nHost: bench\r\nContent-Type: "
                        + contentType
                        + (gzip ? "\r\nContent-Encoding: gzip" : "")
                        + "\r\nContent-Length: "
                        + body.length
                        + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    /** Sends a prepared request and returns the answer's status; -1 if the connection dropped. */
    int send(byte[] request) throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            out.write(request);
            out.flush();
            return readAnswer();
        } catch (IOException e) {
            dropped++;
            closeSocket();
            return -1;
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 5000);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
        connections++;
    }

    private int readAnswer() throws IOException {
        int status = -1;
        long length = 0;
        boolean close = false;
        StringBuilder line = new StringBuilder(64);
        boolean first = true;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before a full answer");
            }
            if (b == '\r') {
                continue;
            }
            if (b != '\n') {
                line.append((char) b);
                continue;
            }
            if (line.length() == 0) {
                break;
            }
            String text = line.toString();
            line.setLength(0);
            if (first) {
                status = Integer.parseInt(text.substring(9, 12));
                first = false;
            } else if (text.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Long.parseLong(text.substring(15).trim());
            } else if (text.regionMatches(true, 0, "connection:", 0, 11)) {
                close = text.substring(11).trim().equalsIgnoreCase("close");
            }
        }
        in.skipNBytes(length);
        if (close) {
            closeSocket();
        }
        return status;
    }

    private void closeSocket() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        socket = null;
    }

    @Override
    public void close() {
        closeSocket();
    }
}
