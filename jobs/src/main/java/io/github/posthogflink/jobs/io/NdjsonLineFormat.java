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
 * lines are skipped (their numbers still count). A line over {@link RawRecord#MAX_RECORD_BYTES} is
 * read through without being buffered and comes out as an {@linkplain RawRecord#oversized()
 * oversized} record (its beginning and length), which the parser dead-letters. The format is not
 * splittable: after a restore, Flink re-reads the file from its start and skips the records already
 * emitted, so line numbers (and the uuids derived from them) stay the same.
 */
public final class NdjsonLineFormat extends SimpleStreamFormat<RawRecord> {
    private static final long serialVersionUID = 1L;
    private final String sourceName;
    private final int maxLineBytes;

    /**
     * @param sourceName the file's name as it appears in record positions (the path given by the
     *     user)
     */
    public NdjsonLineFormat(String sourceName) {
        this(sourceName, RawRecord.MAX_RECORD_BYTES);
    }

    /** With another line limit (tests). */
    NdjsonLineFormat(String sourceName, int maxLineBytes) {
        this.sourceName = sourceName;
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public StreamFormat.Reader<RawRecord> createReader(
            Configuration config, FSDataInputStream stream) {
        return new LineReader(new BufferedInputStream(stream, 64 * 1024), sourceName, maxLineBytes);
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    private static final class LineReader implements StreamFormat.Reader<RawRecord> {
        private final InputStream in;
        private final String sourceName;
        private final int maxLineBytes;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
        private long lineNumber;
        private boolean eof;

        LineReader(InputStream in, String sourceName, int maxLineBytes) {
            this.in = in;
            this.sourceName = sourceName;
            this.maxLineBytes = maxLineBytes;
        }

        @Nullable
        @Override
        public RawRecord read() throws IOException {
            while (!eof) {
                RawRecord record = nextLine();
                if (record == null) {
                    return null;
                }
                if (record.oversized() || !isBlank(record.payload())) {
                    return record;
                }
            }
            return null;
        }

        /**
         * The next line, or null at the end. A line longer than the limit is read to its end
         * without being kept: only its beginning and its length come back.
         */
        @Nullable
        private RawRecord nextLine() throws IOException {
            line.reset();
            long length = 0;
            int b;
            boolean any = false;
            while ((b = in.read()) != -1) {
                any = true;
                if (b == '\n') {
                    return record(length);
                }
                if (length < maxLineBytes) {
                    line.write(b);
                }
                length++;
            }
            eof = true;
            return any ? record(length) : null;
        }

        private RawRecord record(long length) {
            lineNumber++;
            String position = RawRecord.filePosition(sourceName, lineNumber);
            if (length > maxLineBytes) {
                return RawRecord.oversized(line.toByteArray(), line.size(), position, length);
            }
            return new RawRecord(trimCarriageReturn(line.toByteArray()), position);
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
