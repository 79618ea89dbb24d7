package io.github.posthogflink.connector.sink;

import org.apache.flink.api.connector.sink2.WriterInitContext;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@link PostHogSinkErrorHandler#deadLetterFiles}: each sink subtask appends its rejections, one
 * JSON line each ({@link DeadLetter#toJson}), to its own file {@code
 * posthog-dead-letters-<subtask>.ndjson} in a directory, flushed before the sink goes on. A failed
 * write fails the task, so the event is retried from the last checkpoint rather than lost; after a
 * restore a letter may therefore appear twice.
 */
final class DeadLetterFiles implements PostHogSinkErrorHandler {
    private static final long serialVersionUID = 1L;

    private final String directory;
    @Nullable private transient Writer out;

    DeadLetterFiles(String directory) {
        this.directory = directory;
    }

    /** The file a subtask writes to. */
    static Path fileOf(Path directory, int subtask) {
        return directory.resolve("posthog-dead-letters-" + subtask + ".ndjson");
    }

    @Override
    public void open(WriterInitContext context) throws IOException {
        Path dir = Path.of(directory);
        Files.createDirectories(dir);
        out =
                Files.newBufferedWriter(
                        fileOf(dir, context.getTaskInfo().getIndexOfThisSubtask()),
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
    }

    @Override
    public void onRejected(DeadLetter deadLetter) throws IOException {
        if (out == null) {
            throw new IllegalStateException("dead-letter file not open");
        }
        out.write(deadLetter.toJson());
        out.write('\n');
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
