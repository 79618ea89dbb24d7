package io.github.posthogflink.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bytes allocated by every Java thread while a run lasts, sampled every 50 ms (so that threads
 * which end with the job are counted too) and summed by the groups of {@link Cpu.ThreadSampler}.
 * HotSpot's per-thread counters: the JVM's own threads (GC, JIT) allocate no Java objects.
 */
final class ThreadAllocations {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) Cpu.THREADS;

    private final Map<Long, Long> start = new HashMap<>();
    private final Map<Long, Long> latest = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    private ThreadAllocations() {
        sample(start);
        latest.putAll(start);
        thread = new Thread(this::loop, "allocation-sampler");
        thread.setDaemon(true);
    }

    static ThreadAllocations start() {
        ThreadAllocations sampler = new ThreadAllocations();
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
        long[] ids = THREADS.getAllThreadIds();
        long[] allocated = THREADS.getThreadAllocatedBytes(ids); // one call: cheap to sample
        for (int i = 0; i < ids.length; i++) {
            long id = ids[i];
            long bytes = allocated[i];
            if (bytes >= 0) {
                into.put(id, bytes);
                if (!names.containsKey(id)) {
                    java.lang.management.ThreadInfo info = THREADS.getThreadInfo(id);
                    if (info != null) {
                        names.put(id, info.getThreadName());
                    }
                }
            }
        }
    }

    /** Bytes per group since the start; the samplers' own threads are left out. */
    synchronized Map<String, Long> stop() {
        running = false;
        sample(latest);
        Map<String, Long> groups = new TreeMap<>();
        latest.forEach(
                (id, bytes) -> {
                    String name = names.getOrDefault(id, "");
                    if (!name.equals("allocation-sampler") && !name.equals("cpu-sampler")) {
                        groups.merge(group(name), bytes - start.getOrDefault(id, 0L), Long::sum);
                    }
                });
        return groups;
    }

    /** As {@link Cpu.ThreadSampler}'s groups. */
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
}
