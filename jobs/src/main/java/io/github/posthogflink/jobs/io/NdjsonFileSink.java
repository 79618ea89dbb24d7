package io.github.posthogflink.jobs.io;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes JSON lines to one local file. Use it with parallelism 1. The first attempt truncates the
 * file; a restarted attempt appends, so after a failover lines since the last checkpoint may appear
 * twice (at least once). Lines are flushed on every checkpoint and at the end of input.
 */
public final class NdjsonFileSink implements Sink<String> {
    private static final long serialVersionUID = 1L;

    private final String path;

    public NdjsonFileSink(String path) {
        this.path = path;
    }

    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) throws IOException {
        Path file = Path.of(path);
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        boolean firstAttempt = context.getTaskInfo().getAttemptNumber() == 0;
        OutputStream out =
                firstAttempt
                        ? Files.newOutputStream(file)
                        : Files.newOutputStream(
                                file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new Writer(
                new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024));
    }

    private static final class Writer implements SinkWriter<String> {
        private final BufferedWriter out;

        Writer(BufferedWriter out) {
            this.out = out;
        }

        @Override
        public void write(String element, Context context) throws IOException {
            out.write(element);
            out.write('\n');
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
