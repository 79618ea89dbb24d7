package io.github.posthogflink.connector.sink;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class FastGzipTest {

    @Test
    void roundTripsThroughTheJdksGunzip() throws Exception {
        Random random = new Random(3);
        for (int size : new int[] {0, 1, 100, 64 * 1024, 300_000}) {
            byte[] noise = new byte[size];
            random.nextBytes(noise);
            byte[] json =
                    "{\"event\":\"e\"},".repeat(size / 14 + 1).getBytes(StandardCharsets.UTF_8);
            for (byte[] raw : new byte[][] {noise, json}) {
                byte[] gz = FastGzip.gzip(raw);
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
                    assertThat(in.readAllBytes()).isEqualTo(raw);
                }
            }
        }
    }

    @Test
    void gzipsAPrefixOfAReusedBufferAndKeepsNothingFromTheLastBody() throws Exception {
        byte[] big = "{\"event\":\"a\"},".repeat(50_000).getBytes(StandardCharsets.UTF_8);
        byte[] small = "{\"event\":\"b\"}".getBytes(StandardCharsets.UTF_8);
        byte[] buffer = big.clone();
        System.arraycopy(small, 0, buffer, 0, small.length);

        FastGzip.gzip(big);
        byte[] gz = FastGzip.gzip(buffer, small.length);

        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertThat(in.readAllBytes()).isEqualTo(small);
        }
    }

    @Test
    void compressesEventJson() {
        byte[] json =
                "{\"event\":\"order placed\",\"properties\":{\"plan\":\"pro\"}},"
                        .repeat(1_000)
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(FastGzip.gzip(json).length).isLessThan(json.length / 10);
    }
}
