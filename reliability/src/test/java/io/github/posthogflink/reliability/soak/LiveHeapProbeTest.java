package io.github.posthogflink.reliability.soak;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probe against a real JVM (this one, through {@code jcmd}): 64 MB kept reachable show in the
 * live heap, and are gone from it once dropped, whatever garbage lies around.
 */
class LiveHeapProbeTest {
    private static final long MB = 1024 * 1024;

    @Test
    void measuresReachableObjectsOnly() throws Exception {
        long pid = ProcessHandle.current().pid();
        long before = LiveHeapProbe.liveHeapBytes(pid);
        List<byte[]> kept = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            kept.add(new byte[(int) MB]);
            byte[] garbage = new byte[(int) MB]; // unreachable at once
            garbage[0] = 1;
        }
        long holding = LiveHeapProbe.liveHeapBytes(pid);
        assertThat(holding - before).isBetween(60 * MB, 80 * MB);
        assertThat(kept).hasSize(64);
        kept.clear();
        long after = LiveHeapProbe.liveHeapBytes(pid);
        assertThat(after).isLessThan(before + 16 * MB);
        long max = Runtime.getRuntime().maxMemory();
        assertThat(LiveHeapProbe.maxHeapBytes(pid)).isBetween(max, max + max / 5);
    }

    @Test
    void parsesTheTotalLine() throws Exception {
        String histogram =
                """
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         12345        1000000  [B (java.base@17)
                Total         67890       12345678
                """;
        assertThat(LiveHeapProbe.parseHistogramTotal(histogram)).isEqualTo(12_345_678L);
    }
}
