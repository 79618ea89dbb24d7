package io.github.posthogflink.testkit.e2e;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs each task after a fixed delay, so that an async query is still running when its start is
 * answered and the client has to poll.
 */
final class DelayedExecutor extends AbstractExecutorService {
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "delayed-query");
                        t.setDaemon(true);
                        return t;
                    });
    private final Duration delay;

    DelayedExecutor(Duration delay) {
        this.delay = delay;
    }

    @Override
    public void execute(Runnable command) {
        scheduler.schedule(command, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void shutdown() {
        scheduler.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return scheduler.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return scheduler.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return scheduler.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return scheduler.awaitTermination(timeout, unit);
    }
}
