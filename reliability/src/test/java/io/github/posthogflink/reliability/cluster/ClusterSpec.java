package io.github.posthogflink.reliability.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link FlinkCluster} starts: how many TaskManagers, their size, the failure-handling
 * settings, extra {@code config.yaml} entries and the environment of the cluster processes.
 */
public final class ClusterSpec {

    private final Path workDir;
    private int taskManagers = 2;
    private int slotsPerTaskManager = 1;
    private String taskManagerProcessSize = "768m";
    private String jobManagerHeap = "512m";
    private Duration heartbeatInterval = Duration.ofMillis(500);
    private Duration heartbeatTimeout = Duration.ofSeconds(4);
    private int restartAttempts = 20;
    private Duration restartDelay = Duration.ofSeconds(1);
    private final Map<String, String> extraConfig = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();

    private ClusterSpec(Path workDir) {
        this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    /** A spec whose conf, logs, checkpoints, savepoints and temp files all live under workDir. */
    public static ClusterSpec in(Path workDir) {
        return new ClusterSpec(workDir);
    }

    public ClusterSpec taskManagers(int count) {
        this.taskManagers = count;
        return this;
    }

    public ClusterSpec slotsPerTaskManager(int slots) {
        this.slotsPerTaskManager = slots;
        return this;
    }

    /** {@code taskmanager.memory.process.size}, e.g. "768m". */
    public ClusterSpec taskManagerProcessSize(String size) {
        this.taskManagerProcessSize = size;
        return this;
    }

    /** The JobManager's -Xmx, e.g. "512m". */
    public ClusterSpec jobManagerHeap(String heap) {
        this.jobManagerHeap = heap;
        return this;
    }

    public ClusterSpec heartbeat(Duration interval, Duration timeout) {
        this.heartbeatInterval = interval;
        this.heartbeatTimeout = timeout;
        return this;
    }

    /** The fixed-delay restart strategy. */
    public ClusterSpec restarts(int attempts, Duration delay) {
        this.restartAttempts = attempts;
        this.restartDelay = delay;
        return this;
    }

    /** An extra {@code config.yaml} entry (wins over the harness's own). */
    public ClusterSpec config(String key, String value) {
        extraConfig.put(key, value);
        return this;
    }

    /** An environment variable of every cluster process (JobManager and TaskManagers). */
    public ClusterSpec environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public Path workDir() {
        return workDir;
    }

    public int taskManagers() {
        return taskManagers;
    }

    public int slotsPerTaskManager() {
        return slotsPerTaskManager;
    }

    public String taskManagerProcessSize() {
        return taskManagerProcessSize;
    }

    public String jobManagerHeap() {
        return jobManagerHeap;
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    public Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    public int restartAttempts() {
        return restartAttempts;
    }

    public Duration restartDelay() {
        return restartDelay;
    }

    public Map<String, String> extraConfig() {
        return Map.copyOf(extraConfig);
    }

    public Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    @Override
    public String toString() {
        // The environment may hold keys: names only.
        return "ClusterSpec[taskManagers="
                + taskManagers
                + ", slots="
                + slotsPerTaskManager
                + ", tmProcess="
                + taskManagerProcessSize
                + ", env="
                + environment.keySet()
                + "]";
    }
}
