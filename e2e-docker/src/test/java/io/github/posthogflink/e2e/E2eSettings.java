package io.github.posthogflink.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is, which base image the local images build on, free loopback ports. */
final class E2eSettings {

    private E2eSettings() {}

    /** The repository root: the build context of every image. */
    static Path root() {
        return Path.of(System.getProperty("e2e.root", "..")).toAbsolutePath().normalize();
    }

    /** The JRE 17 image the local images build on ({@code docker/ci-docker.sh setup} makes it). */
    static String baseImage() {
        return System.getProperty("e2e.base.image", "posthog-flink/jre17:bookworm");
    }

    /** A scratch directory under the module's target/. */
    static Path workDir(String name) {
        Path dir =
                Path.of(System.getProperty("e2e.work.dir", "target/e2e"))
                        .toAbsolutePath()
                        .resolve(name);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port free on 127.0.0.1 now (containers share the host's network). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
