package io.github.posthogflink.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The CPU time of every thread of this process so far, the JVM's own (GC, JIT, VM) included, read
 * from {@code /proc/self/task} (Linux) and summed by name with digits folded: where ThreadMXBean,
 * which sees Java threads only, cannot look.
 */
final class NativeThreads {
    private NativeThreads() {}

    static void print() throws IOException {
        Map<String, Long> ticks = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long cpu = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                ticks.merge(name.replaceAll("[0-9]+", "#"), cpu, Long::sum);
            }
        }
        ticks.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(
                        e ->
                                System.out.printf(
                                        "native thread %-24s %8d ms%n",
                                        e.getKey(), e.getValue() * 10));
    }
}
