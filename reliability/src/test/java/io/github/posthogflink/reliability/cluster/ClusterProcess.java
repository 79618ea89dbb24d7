package io.github.posthogflink.reliability.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** One JVM of the cluster (JobManager or TaskManager), started and owned by the harness. */
public final class ClusterProcess {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterProcess.class);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Path outFile;

    ClusterProcess(String name, Process process, Path logFile, Path outFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.outFile = outFile;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The Flink log file ({@code -Dlog.file}). */
    public Path logFile() {
        return logFile;
    }

    /** stdout and stderr of the JVM. */
    public Path outFile() {
        return outFile;
    }

    /** kill -9: the process gets no chance to clean up. Returns once it is gone. */
    public void kill() {
        LOG.info("Killing {} (pid {}) with SIGKILL", name, pid());
        process.destroyForcibly();
        waitForExit(30);
    }

    /** SIGTERM, then SIGKILL if it has not exited within the timeout. */
    public void stop(long timeoutSeconds) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitForExit(timeoutSeconds)) {
            LOG.warn("{} (pid {}) ignored SIGTERM; killing it", name, pid());
            process.destroyForcibly();
            waitForExit(30);
        }
    }

    private boolean waitForExit(long seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return name + "(pid " + pid() + (isAlive() ? ", alive)" : ", exited)");
    }
}
