package io.github.posthogflink.reliability.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures a JVM's live heap from outside with {@code jcmd}, the JDK's diagnostic command tool.
 *
 * <p>{@code jcmd <pid> GC.class_histogram} (without {@code -all}) runs a full, stop-the-world
 * collection first and then counts only reachable objects; its {@code Total} line is the live heap
 * in bytes, measured at a safepoint, so allocations racing with the probe cannot skew it (unlike
 * reading {@code Status.JVM.Memory.Heap.Used} from Flink's REST API, which samples used heap at a
 * random point of the allocation sawtooth, garbage included, and cannot force a collection).
 */
public final class LiveHeapProbe {
    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)\\s*$");
    private static final Pattern MAX_HEAP = Pattern.compile("-XX:MaxHeapSize=(\\d+)");

    private LiveHeapProbe() {}

    /** Bytes of reachable objects after a full GC of JVM {@code pid}. */
    public static long liveHeapBytes(long pid) throws IOException, InterruptedException {
        return parseHistogramTotal(jcmd(pid, "GC.class_histogram"));
    }

    /** The JVM's {@code -XX:MaxHeapSize}, in bytes. */
    public static long maxHeapBytes(long pid) throws IOException, InterruptedException {
        Matcher matcher = MAX_HEAP.matcher(jcmd(pid, "VM.flags"));
        if (!matcher.find()) {
            throw new IOException("no MaxHeapSize in the VM flags of " + pid);
        }
        return Long.parseLong(matcher.group(1));
    }

    /** The total bytes of a class histogram's {@code Total} line. */
    static long parseHistogramTotal(String histogram) throws IOException {
        Matcher matcher = TOTAL.matcher(histogram);
        if (!matcher.find()) {
            throw new IOException("no Total line in the class histogram");
        }
        return Long.parseLong(matcher.group(2));
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process =
                new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
                        .redirectErrorStream(true)
                        .start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(
                    "jcmd "
                            + pid
                            + " "
                            + command
                            + " failed: "
                            + new String(output, StandardCharsets.UTF_8));
        }
        return new String(output, StandardCharsets.UTF_8);
    }
}
