package io.github.posthogflink.benchmarks;

import io.github.posthogflink.client.PostHogClientVersion;
import io.github.posthogflink.connector.sink.EventUuids;
import io.github.posthogflink.connector.sink.PostHogElementConverter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * {@code /batch/} requests as the PostHog sink sends them: {@code {"api_key":...,"batch":[...]}},
 * gzip, each event as the sink writes it ({@code event}, {@code distinct_id}, the {@link
 * BenchEvents} properties then {@code $lib} and {@code $lib_version}, {@code timestamp}, the sink's
 * name-based {@code uuid}), every event with its own uuid, over 10,000 distinct ids.
 */
final class SinkShapedBatches {
    private final List<byte[]> requests;
    private final long rawBytes;
    private final long gzipBytes;

    /** {@code count} batches of {@code events} events, event ids from 0. */
    SinkShapedBatches(String apiKey, int count, int events) {
        requests = new ArrayList<>(count);
        long raw = 0;
        long compressed = 0;
        long id = 0;
        for (int b = 0; b < count; b++) {
            StringBuilder json =
                    new StringBuilder(events * 300)
                            .append("{\"api_key\":\"")
                            .append(apiKey)
                            .append("\",\"batch\":[");
            for (int i = 0; i < events; i++, id++) {
                json.append(i == 0 ? "" : ",");
                event(json, id);
            }
            json.append("]}");
            byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
            byte[] gzip = gzip(body);
            raw += body.length;
            compressed += gzip.length;
            requests.add(RawHttpClient.post("/batch/", "application/json", true, gzip));
        }
        this.rawBytes = raw;
        this.gzipBytes = compressed;
    }

    private static void event(StringBuilder json, long id) {
        json.append("{\"event\":\"")
                .append(BenchEvents.EVENT)
                .append("\",\"distinct_id\":\"")
                .append(BenchEvents.distinctId(id))
                .append("\",\"properties\":{\"order_id\":")
                .append(id)
                .append(",\"amount\":")
                .append(BenchEvents.amount(id))
                .append(",\"currency\":\"EUR\",\"plan\":\"")
                .append(BenchEvents.plan(id))
                .append("\",\"items\":")
                .append(BenchEvents.items(id))
                .append(",\"$lib\":\"")
                .append(PostHogElementConverter.LIB)
                .append("\",\"$lib_version\":\"")
                .append(PostHogClientVersion.VERSION)
                .append("\"},\"timestamp\":\"")
                .append(BenchEvents.timestamp(id))
                .append("\",\"uuid\":\"")
                .append(EventUuids.fromIdentity(BenchEvents.identity(id)))
                .append("\"}");
    }

    /** The requests, headers included, ready to send. */
    List<byte[]> requests() {
        return requests;
    }

    /** The JSON bytes of every batch before gzip. */
    long rawBytes() {
        return rawBytes;
    }

    /** The gzip bytes of every batch. */
    long gzipBytes() {
        return gzipBytes;
    }

    private static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
