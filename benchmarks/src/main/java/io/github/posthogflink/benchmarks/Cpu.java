package io.github.posthogflink.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** CPU time of the process and of single threads. */
final class Cpu {
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Cpu() {}

    /**
     * Samples every Java thread's CPU time and allocated bytes every 50 ms while a run lasts, so
     * that threads which end with the job (task threads, the sink's HTTP client) are counted too,
     * and sums the growth by group: Flink's task threads, the sink's HTTP client, the loopback
     * server, the rest (the sampler itself left out). What the process spent beyond them is the
     * JVM's own threads (JIT, GC), which allocate no Java objects.
     */
    static final class ThreadSampler {
        private static final com.sun.management.ThreadMXBean HOTSPOT =
                (com.sun.management.ThreadMXBean) THREADS;
        private static final String NAME = "thread-sampler";

        /** Growth per group since the start: CPU nanos, allocated bytes. */
        record Usage(Map<String, Long> cpuNanos, Map<String, Long> allocatedBytes) {}

        private final Map<Long, long[]> start = new HashMap<>();
        private final Map<Long, long[]> latest = new HashMap<>();
        private final Map<Long, String> names = new HashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        private ThreadSampler() {
            sample(start);
            latest.putAll(start);
            thread = new Thread(this::loop, NAME);
            thread.setDaemon(true);
        }

        static ThreadSampler start() {
            ThreadSampler sampler = new ThreadSampler();
            sampler.thread.start();
            return sampler;
        }

        private void loop() {
            while (running) {
                synchronized (this) {
                    sample(latest);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** One call per counter for all threads: cheap enough to sample often. */
        private void sample(Map<Long, long[]> into) {
            long[] ids = THREADS.getAllThreadIds();
            long[] cpu = HOTSPOT.getThreadCpuTime(ids);
            long[] allocated = HOTSPOT.getThreadAllocatedBytes(ids);
            for (int i = 0; i < ids.length; i++) {
                if (cpu[i] < 0) {
                    continue; // ended
                }
                into.put(ids[i], new long[] {cpu[i], Math.max(0, allocated[i])});
                if (!names.containsKey(ids[i])) {
                    ThreadInfo info = THREADS.getThreadInfo(ids[i]);
                    if (info != null) {
                        names.put(ids[i], info.getThreadName());
                    }
                }
            }
        }

        synchronized Usage stop() {
            running = false;
            sample(latest);
            if (Boolean.getBoolean("sink.threads")) {
                printBusiest();
            }
            Map<String, Long> cpu = new TreeMap<>();
            Map<String, Long> allocated = new TreeMap<>();
            latest.forEach(
                    (id, now) -> {
                        String name = names.getOrDefault(id, "");
                        if (name.equals(NAME)) {
                            return;
                        }
                        long[] then = start.getOrDefault(id, new long[2]);
                        cpu.merge(group(name), now[0] - then[0], Long::sum);
                        allocated.merge(group(name), now[1] - then[1], Long::sum);
                    });
            return new Usage(cpu, allocated);
        }

        private void printBusiest() {
            latest.entrySet().stream()
                    .map(
                            e ->
                                    Map.entry(
                                            names.getOrDefault(e.getKey(), "?"),
                                            e.getValue()[0]
                                                    - start.getOrDefault(e.getKey(), new long[2])[
                                                            0]))
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(25)
                    .forEach(
                            e ->
                                    System.out.printf(
                                            "  thread %-60s %8.1f ms%n",
                                            e.getKey(), e.getValue() / 1e6));
        }
    }

    private static String group(String thread) {
        if (thread.contains("Sink: Writer")) {
            return "task threads";
        }
        if (thread.startsWith("posthog-client") || thread.startsWith("posthog-sink")) {
            return "sink HTTP client";
        }
        if (thread.startsWith("nioEventLoopGroup")) {
            return "loopback server";
        }
        return "other Java threads";
    }

    static long processNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
