package io.github.posthogflink.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this process's threads by kind, read from {@code /proc/self/task/<tid>/schedstat}
 * (nanoseconds on a CPU) and {@code comm} (the thread name, cut to 15 characters), so that the
 * garbage collector's and the JIT compilers' threads, which no Java API lists, are counted too.
 * Empty where {@code /proc} is not there (not Linux).
 */
final class ThreadCpu {
    /** What a thread works for. */
    enum Kind {
        TESTKIT,
        LOAD,
        GC,
        JIT,
        OTHER
    }

    /** Threads named with this prefix generate the load (the benchmark's clients). */
    static final String LOAD_PREFIX = "ingest-load-";

    private final Map<Kind, Long> nanos;
    private final Map<String, Long> byName;

    private ThreadCpu(Map<Kind, Long> nanos, Map<String, Long> byName) {
        this.nanos = nanos;
        this.byName = byName;
    }

    /** The CPU time of every live thread, by kind; empty without {@code /proc}. */
    static ThreadCpu snapshot() {
        Map<Kind, Long> nanos = new EnumMap<>(Kind.class);
        Map<String, Long> byName = new java.util.TreeMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return new ThreadCpu(nanos, byName);
        }
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(
                    task -> {
                        try {
                            String name = Files.readString(task.resolve("comm")).trim();
                            String stat = Files.readString(task.resolve("schedstat")).trim();
                            long onCpu = Long.parseLong(stat.substring(0, stat.indexOf(' ')));
                            nanos.merge(kind(name), onCpu, Long::sum);
                            byName.merge(name.replaceAll("[0-9]+", "N"), onCpu, Long::sum);
                        } catch (IOException | RuntimeException gone) {
                            // The thread ended while the directory was read.
                        }
                    });
        } catch (IOException e) {
            return new ThreadCpu(new EnumMap<>(Kind.class), byName);
        }
        return new ThreadCpu(nanos, byName);
    }

    static Kind kind(String name) {
        if (name.startsWith("posthog-testkit")) {
            return Kind.TESTKIT;
        }
        if (name.startsWith(LOAD_PREFIX)) {
            return Kind.LOAD;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return Kind.GC;
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return Kind.JIT;
        }
        return Kind.OTHER;
    }

    /** Nanoseconds by thread name (digits as N) since {@code before}, the busiest first. */
    String byName(ThreadCpu before, long events) {
        StringBuilder text = new StringBuilder();
        byName.entrySet().stream()
                .map(
                        e ->
                                Map.entry(
                                        e.getKey(),
                                        e.getValue() - before.byName.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(
                        e ->
                                text.append(
                                        String.format(
                                                java.util.Locale.ROOT,
                                                "  %-20s %6.2f us/event%n",
                                                e.getKey(),
                                                e.getValue() / 1e3 / events)));
        return text.toString();
    }

    boolean available() {
        return !nanos.isEmpty();
    }

    /** Nanoseconds of {@code kind} since {@code before} (threads alive at both moments). */
    long since(ThreadCpu before, Kind kind) {
        return Math.max(0, nanos.getOrDefault(kind, 0L) - before.nanos.getOrDefault(kind, 0L));
    }

    /** The process's CPU time as the JVM reports it (every thread, ended ones included). */
    static long processNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
