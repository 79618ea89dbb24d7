package io.github.posthogflink.jobs.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Appends whole lines to a local file that several writers share (the dead-letter file: its sink
 * and the PostHog sink's error handler). Each append is one locked write at the end of the file: a
 * lock per file within the JVM, and an OS file lock across JVMs, so lines never interleave.
 */
public final class LineFiles {
    private static final ConcurrentHashMap<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

    private LineFiles() {}

    /** Opens {@code file} for appending, creating it and its directories if missing. */
    public static FileChannel openForAppend(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        return FileChannel.open(
                absolute,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    /** Appends {@code lines} (whole lines, each ending with a newline) in one locked write. */
    public static void append(FileChannel channel, Path file, byte[] lines, int length)
            throws IOException {
        synchronized (jvmLock(file)) {
            try (FileLock ignored = channel.lock()) {
                ByteBuffer buffer = ByteBuffer.wrap(lines, 0, length);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        }
    }

    /** Empties the file, under the same locks as {@link #append}. */
    public static void truncate(FileChannel channel, Path file) throws IOException {
        synchronized (jvmLock(file)) {
            try (FileLock ignored = channel.lock()) {
                channel.truncate(0);
            }
        }
    }

    /** Opens, appends one batch of lines, closes. */
    public static void appendOnce(Path file, byte[] lines) throws IOException {
        try (FileChannel channel = openForAppend(file)) {
            append(channel, file, lines, lines.length);
        }
    }

    private static Object jvmLock(Path file) {
        return JVM_LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), path -> new Object());
    }
}
