package io.github.posthogflink.jobs.io;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes JSON lines to one local file. Use it with parallelism 1. {@link #overwriting} empties the
 * file when a job starts afresh (the enriched output): its first attempt, restored from nothing;
 * {@link #appending} never does (the dead-letter file, which the PostHog sink's error handler
 * appends to as well, maybe before this sink starts). A restarted attempt, and a job started from a
 * savepoint or checkpoint, append, so the lines written before it stay and lines since that
 * checkpoint may appear twice (at least once). Lines are written on every checkpoint, at the end of
 * input and whenever 64 KiB are buffered, always as whole lines through {@link LineFiles}, so
 * another writer can append to the same file.
 */
public final class NdjsonFileSink implements Sink<String> {
    private static final long serialVersionUID = 1L;
    private static final int BUFFER_BYTES = 64 * 1024;

    private final String path;
    private final boolean overwrite;

    private NdjsonFileSink(String path, boolean overwrite) {
        this.path = path;
        this.overwrite = overwrite;
    }

    /** A sink that empties the file when its job starts from no checkpoint or savepoint. */
    public static NdjsonFileSink overwriting(String path) {
        return new NdjsonFileSink(path, true);
    }

    /** A sink that only ever appends to the file. */
    public static NdjsonFileSink appending(String path) {
        return new NdjsonFileSink(path, false);
    }

    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) throws IOException {
        Path file = Path.of(path);
        FileChannel channel = LineFiles.openForAppend(file);
        if (overwrite
                && context.getTaskInfo().getAttemptNumber() == 0
                && context.getRestoredCheckpointId().isEmpty()) {
            LineFiles.truncate(channel, file);
        }
        return new Writer(channel, file);
    }

    private static final class Writer implements SinkWriter<String> {
        private final FileChannel channel;
        private final Path file;
        private final Buffer buffer = new Buffer();

        Writer(FileChannel channel, Path file) {
            this.channel = channel;
            this.file = file;
        }

        @Override
        public void write(String element, Context context) throws IOException {
            buffer.write(element.getBytes(StandardCharsets.UTF_8));
            buffer.write('\n');
            if (buffer.size() >= BUFFER_BYTES) {
                drain();
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            drain();
        }

        private void drain() throws IOException {
            if (buffer.size() > 0) {
                LineFiles.append(channel, file, buffer.bytes(), buffer.size());
                buffer.reset();
            }
        }

        @Override
        public void close() throws IOException {
            try {
                drain();
            } finally {
                channel.close();
            }
        }
    }

    /** A byte buffer whose array is read without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(BUFFER_BYTES + 1024);
        }

        byte[] bytes() {
            return buf;
        }
    }
}
