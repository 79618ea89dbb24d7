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
     * Samples every Java thread's CPU time every 50 ms while a run lasts, so that threads which end
     * with the job (task threads, the sink's HTTP client) are counted too, and sums the growth by
     * group: Flink's task threads, the sink's HTTP client, the loopback server, the rest. What the
     * process spent beyond them is the JVM's own threads (JIT, GC).
     */
    static final class ThreadSampler {
        private final Map<Long, Long> start = new HashMap<>();
        private final Map<Long, Long> latest = new HashMap<>();
        private final Map<Long, String> names = new HashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        private ThreadSampler() {
            sample(start);
            latest.putAll(start);
            thread = new Thread(this::loop, "cpu-sampler");
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

        private void sample(Map<Long, Long> into) {
            for (long id : THREADS.getAllThreadIds()) {
                ThreadInfo info = THREADS.getThreadInfo(id);
                long cpu = THREADS.getThreadCpuTime(id);
                if (info != null && cpu >= 0) {
                    into.put(id, cpu);
                    names.putIfAbsent(id, info.getThreadName());
                }
            }
        }

        /** CPU nanos per group since the start. */
        synchronized Map<String, Long> stop() {
            running = false;
            sample(latest);
            if (Boolean.getBoolean("sink.threads")) {
                latest.entrySet().stream()
                        .map(
                                e ->
                                        Map.entry(
                                                names.get(e.getKey()),
                                                e.getValue() - start.getOrDefault(e.getKey(), 0L)))
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .limit(25)
                        .forEach(
                                e ->
                                        System.out.printf(
                                                "  thread %-60s %8.1f ms%n",
                                                e.getKey(), e.getValue() / 1e6));
            }
            Map<String, Long> groups = new TreeMap<>();
            latest.forEach(
                    (id, cpu) ->
                            groups.merge(
                                    group(names.get(id)),
                                    cpu - start.getOrDefault(id, 0L),
                                    Long::sum));
            return groups;
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
