package io.github.posthogflink.jobs.io;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

import javax.annotation.Nullable;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a file as lines of raw bytes, each with its 1-based line number ({@link RawRecord}). Blank
 * lines are skipped (their numbers still count). The format is not splittable: after a restore,
 * Flink re-reads the file from its start and skips the records already emitted, so line numbers
 * (and the uuids derived from them) stay the same.
 */
public final class NdjsonLineFormat extends SimpleStreamFormat<RawRecord> {
    private static final long serialVersionUID = 1L;
    private static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private final String sourceName;

    /**
     * @param sourceName the file's name as it appears in record positions (the path given by the
     *     user)
     */
    public NdjsonLineFormat(String sourceName) {
        this.sourceName = sourceName;
    }

    @Override
    public StreamFormat.Reader<RawRecord> createReader(
            Configuration config, FSDataInputStream stream) {
        return new LineReader(new BufferedInputStream(stream, 64 * 1024), sourceName);
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    private static final class LineReader implements StreamFormat.Reader<RawRecord> {
        private final InputStream in;
        private final String sourceName;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
        private long lineNumber;
        private boolean eof;

        LineReader(InputStream in, String sourceName) {
            this.in = in;
            this.sourceName = sourceName;
        }

        @Nullable
        @Override
        public RawRecord read() throws IOException {
            while (!eof) {
                byte[] bytes = nextLine();
                if (bytes == null) {
                    return null;
                }
                lineNumber++;
                if (!isBlank(bytes)) {
                    return new RawRecord(bytes, RawRecord.filePosition(sourceName, lineNumber));
                }
            }
            return null;
        }

        @Nullable
        private byte[] nextLine() throws IOException {
            line.reset();
            int b;
            boolean any = false;
            while ((b = in.read()) != -1) {
                any = true;
                if (b == '\n') {
                    return trimCarriageReturn(line.toByteArray());
                }
                if (line.size() >= MAX_LINE_BYTES) {
                    throw new IOException(
                            "line "
                                    + (lineNumber + 1)
                                    + " of "
                                    + sourceName
                                    + " is longer than "
                                    + MAX_LINE_BYTES
                                    + " bytes");
                }
                line.write(b);
            }
            eof = true;
            return any ? trimCarriageReturn(line.toByteArray()) : null;
        }

        private static byte[] trimCarriageReturn(byte[] bytes) {
            if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
                return java.util.Arrays.copyOf(bytes, bytes.length - 1);
            }
            return bytes;
        }

        private static boolean isBlank(byte[] bytes) {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
