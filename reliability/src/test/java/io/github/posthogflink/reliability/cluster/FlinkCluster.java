package io.github.posthogflink.reliability.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A real Flink session cluster on loopback: one JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}), each a JVM
 * started with {@link ProcessBuilder} from the module's Flink artifacts, configured by a generated
 * conf dir, as {@code bin/start-cluster.sh} would start them.
 *
 * <pre>{@code
 * try (FlinkCluster cluster = FlinkCluster.start(ClusterSpec.in(dir).taskManagers(2))) {
 *     String jarId = cluster.rest().uploadJar(jar);
 *     String jobId = cluster.rest().runJar(jarId, JarRun.of(mainClass, args).parallelism(2));
 *     cluster.taskManagers().get(0).kill();
 *     cluster.startTaskManager();
 * }
 * }</pre>
 */
public final class FlinkCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkCluster.class);
    private static final String JOB_MANAGER_MAIN =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER_MAIN =
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

    private final ClusterSpec spec;
    private final ClusterLayout layout;
    private final String javaBin;
    private final String classpath;
    private final List<String> opens;
    private final FlinkRestClient rest;
    private final List<ClusterProcess> taskManagers = new CopyOnWriteArrayList<>();
    private final List<ClusterProcess> allProcesses = new CopyOnWriteArrayList<>();
    private final AtomicInteger taskManagerNumber = new AtomicInteger();
    private final Thread shutdownHook;
    private ClusterProcess jobManager;
    private TaskManagerResources taskManagerResources;

    private FlinkCluster(ClusterSpec spec, int restPort) {
        this.spec = spec;
        this.layout = ClusterLayout.create(spec.workDir());
        this.javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.classpath =
                HarnessSettings.clusterClasspath().stream()
                        .map(Path::toString)
                        .collect(Collectors.joining(File.pathSeparator));
        this.opens = HarnessSettings.jvmOpens();
        this.rest = new FlinkRestClient(URI.create("http://127.0.0.1:" + restPort));
        this.shutdownHook = new Thread(this::killAll, "flink-cluster-shutdown");
    }

    /** Writes the conf dir, starts the JobManager and the TaskManagers, waits until registered. */
    public static FlinkCluster start(ClusterSpec spec) throws IOException, InterruptedException {
        int restPort = freePort();
        FlinkCluster cluster = new FlinkCluster(spec, restPort);
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        boolean started = false;
        try {
            cluster.boot(restPort);
            started = true;
            return cluster;
        } finally {
            if (!started) {
                cluster.close();
            }
        }
    }

    private void boot(int restPort) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        Map<String, String> config =
                ClusterConfigWriter.configFor(spec, layout, freePort(), restPort);
        ClusterConfigWriter.write(config, layout);
        jobManager =
                launch(
                        "jobmanager",
                        List.of("-Xmx" + spec.jobManagerHeap(), "-Xms128m"),
                        JOB_MANAGER_MAIN,
                        List.of());
        taskManagerResources = TaskManagerResources.compute(javaBin, classpath, layout.conf());
        for (int i = 0; i < spec.taskManagers(); i++) {
            startTaskManager();
        }
        awaitRegisteredTaskManagers(spec.taskManagers(), Duration.ofSeconds(90));
        LOG.info(
                "Flink cluster up in {} ms: REST {}, {} TaskManagers",
                (System.nanoTime() - begin) / 1_000_000,
                rest.baseUri(),
                spec.taskManagers());
    }

    /** Starts one more TaskManager JVM (e.g. to replace a killed one). */
    public ClusterProcess startTaskManager() throws IOException {
        String name = "taskmanager-" + taskManagerNumber.incrementAndGet();
        List<String> args = new ArrayList<>(taskManagerResources.dynamicConfigs());
        ClusterProcess process =
                launch(name, taskManagerResources.jvmParameters(), TASK_MANAGER_MAIN, args);
        taskManagers.add(process);
        return process;
    }

    /** The TaskManagers started so far, killed ones included (check {@code isAlive}). */
    public List<ClusterProcess> taskManagers() {
        return List.copyOf(taskManagers);
    }

    /** The TaskManagers still running. */
    public List<ClusterProcess> liveTaskManagers() {
        return taskManagers.stream().filter(ClusterProcess::isAlive).toList();
    }

    /**
     * A live TaskManager that runs a subtask of the job (a finished subtask, e.g. a source reader
     * without a split, does not count): the REST API names its resource id, which the TaskManager
     * logs at start ({@code Starting TaskManager with ResourceID: ...}).
     */
    public ClusterProcess taskManagerRunning(String jobId) throws IOException {
        for (String taskManagerId : rest.taskManagersRunning(jobId)) {
            for (ClusterProcess process : liveTaskManagers()) {
                String log = Files.readString(process.logFile());
                if (log.contains("Starting TaskManager with ResourceID: " + taskManagerId + "\n")
                        || log.contains(
                                "Starting TaskManager with ResourceID: " + taskManagerId + "\r")) {
                    return process;
                }
            }
        }
        throw new IllegalStateException("no live TaskManager runs a subtask of job " + jobId);
    }

    public ClusterProcess jobManager() {
        return jobManager;
    }

    public FlinkRestClient rest() {
        return rest;
    }

    public ClusterLayout layout() {
        return layout;
    }

    /** Waits until the ResourceManager lists exactly this many TaskManagers. */
    public void awaitRegisteredTaskManagers(int count, Duration timeout) {
        await("TaskManagers registered: " + count)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(
                        () -> {
                            if (!jobManager.isAlive()) {
                                throw new IllegalStateException(
                                        "the JobManager exited; see " + jobManager.logFile());
                            }
                            return rest.taskManagerCount() == count;
                        });
    }

    private ClusterProcess launch(
            String name, List<String> jvmOptions, String mainClass, List<String> programArgs)
            throws IOException {
        Path logFile = layout.log().resolve(name + ".log");
        Path outFile = layout.log().resolve(name + ".out");
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        command.addAll(opens);
        command.addAll(jvmOptions);
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-Dlog.file=" + logFile);
        command.add(
                "-Dlog4j.configurationFile=" + layout.conf().resolve("log4j.properties").toUri());
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.add("--configDir");
        command.add(layout.conf().toString());
        command.addAll(programArgs);
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(layout.root().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(outFile.toFile()));
        builder.environment().putAll(spec.environment());
        Process process = builder.start();
        ClusterProcess clusterProcess = new ClusterProcess(name, process, logFile, outFile);
        allProcesses.add(clusterProcess);
        LOG.info("Started {} (pid {})", name, process.pid());
        return clusterProcess;
    }

    /** Stops every TaskManager, then the JobManager (SIGTERM, SIGKILL after 15 s). */
    @Override
    public void close() {
        for (ClusterProcess taskManager : taskManagers) {
            taskManager.stop(15);
        }
        if (jobManager != null) {
            jobManager.stop(15);
        }
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    private void killAll() {
        for (ClusterProcess process : allProcesses) {
            if (process.isAlive()) {
                process.kill();
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
