package io.github.posthogflink.connector.enrich.persons;

import org.apache.flink.annotation.Internal;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Runs the engine's delayed work: batch windows and budget waits. */
@Internal
public interface LookupScheduler extends AutoCloseable {

    void schedule(Runnable task, long delayNanos);

    @Override
    default void close() {}

    /** One daemon thread. */
    static LookupScheduler singleThread(String name) {
        ScheduledThreadPoolExecutor executor =
                new ScheduledThreadPoolExecutor(
                        1,
                        r -> {
                            Thread t = new Thread(r, name);
                            t.setDaemon(true);
                            return t;
                        });
        executor.setRemoveOnCancelPolicy(true);
        return new LookupScheduler() {
            @Override
            public void schedule(Runnable task, long delayNanos) {
                if (!executor.isShutdown()) {
                    executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
                }
            }

            @Override
            public void close() {
                executor.shutdownNow();
            }
        };
    }
}
