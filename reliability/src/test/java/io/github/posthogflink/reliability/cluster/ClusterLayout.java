package io.github.posthogflink.reliability.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The directories of one cluster under its work directory. */
public record ClusterLayout(
        Path root, Path conf, Path log, Path checkpoints, Path savepoints, Path tmp, Path uploads) {

    static ClusterLayout create(Path root) {
        ClusterLayout layout =
                new ClusterLayout(
                        root,
                        root.resolve("conf"),
                        root.resolve("log"),
                        root.resolve("checkpoints"),
                        root.resolve("savepoints"),
                        root.resolve("tmp"),
                        root.resolve("uploads"));
        try {
            for (Path dir :
                    new Path[] {
                        layout.conf,
                        layout.log,
                        layout.checkpoints,
                        layout.savepoints,
                        layout.tmp,
                        layout.uploads
                    }) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return layout;
    }
}
