package io.github.posthogflink.e2e;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * The pipeline's stack in containers on the host's network, every port on 127.0.0.1: the testkit as
 * PostHog, Kafka (KRaft), a Flink JobManager and TaskManagers from the job image. No bridge network
 * is created; the containers and the test talk over loopback only.
 */
final class DockerFlinkStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DockerFlinkStack.class);
    static final String PROJECT_API_KEY = "phc_e2e_docker_project_key";
    static final String PERSONAL_API_KEY = "phx_e2e_docker_personal_key";
    static final String PROJECT_ID = "1";
    private static final String SHARED_MOUNT = "/flink-data";

    final int kafkaPort = E2eSettings.freePort();
    final int kafkaControllerPort = E2eSettings.freePort();
    final int testkitPort = E2eSettings.freePort();
    final int restPort = E2eSettings.freePort();
    final int rpcPort = E2eSettings.freePort();

    private final List<GenericContainer<?>> taskManagers = new CopyOnWriteArrayList<>();
    private final List<GenericContainer<?>> all = new CopyOnWriteArrayList<>();
    private final AtomicInteger taskManagerNumber = new AtomicInteger();
    private final int slotsPerTaskManager;
    private final FlinkRest rest = new FlinkRest(restPort);
    private final TestkitProbe testkit = new TestkitProbe(testkitPort);

    private final Path sharedDir;

    private DockerFlinkStack(int slotsPerTaskManager) throws IOException {
        this.slotsPerTaskManager = slotsPerTaskManager;
        // Checkpoints on a directory every Flink container mounts at the same path, so a new
        // TaskManager reads what a killed one wrote (uid 9999 writes it).
        this.sharedDir = E2eSettings.workDir("flink-data-" + restPort);
        Files.setPosixFilePermissions(sharedDir, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    /** What the stack does once Kafka and the testkit are up, before Flink starts. */
    interface Preparation {
        void prepare(DockerFlinkStack stack) throws Exception;
    }

    /**
     * A session cluster ({@code jobmanager}): builds the images if needed, then starts every
     * container; logs the stack's start time.
     */
    static DockerFlinkStack start(int taskManagers, int slotsPerTaskManager) throws Exception {
        return start(
                taskManagers, slotsPerTaskManager, stack -> {}, stack -> List.of("jobmanager"));
    }

    /**
     * A stack whose JobManager runs {@code jobManagerCommand} (e.g. {@code standalone-job ...}),
     * started after {@code preparation}.
     */
    static DockerFlinkStack start(
            int taskManagers,
            int slotsPerTaskManager,
            Preparation preparation,
            Function<DockerFlinkStack, List<String>> jobManagerCommand)
            throws Exception {
        LocalImages.ensureBuilt();
        DockerFlinkStack stack = new DockerFlinkStack(slotsPerTaskManager);
        boolean started = false;
        try {
            long begin = System.nanoTime();
            stack.boot(taskManagers, preparation, jobManagerCommand.apply(stack));
            LOG.info(
                    "Stack up in {} ms: Kafka 127.0.0.1:{}, testkit 127.0.0.1:{}, Flink REST"
                            + " 127.0.0.1:{}, {} TaskManagers",
                    (System.nanoTime() - begin) / 1_000_000,
                    stack.kafkaPort,
                    stack.testkitPort,
                    stack.restPort,
                    taskManagers);
            started = true;
            return stack;
        } finally {
            if (!started) {
                stack.close();
            }
        }
    }

    private void boot(int taskManagerCount, Preparation preparation, List<String> jobManagerCommand)
            throws Exception {
        GenericContainer<?> testkitContainer =
                container(LocalImages.TESTKIT, "testkit")
                        .withCommand(
                                "--host", "127.0.0.1",
                                "--port", Integer.toString(testkitPort),
                                "--project-api-key", PROJECT_API_KEY,
                                "--personal-api-key", PERSONAL_API_KEY,
                                "--project-id", PROJECT_ID)
                        .waitingFor(Wait.forLogMessage(".*PostHog testkit listening on.*", 1));
        GenericContainer<?> kafka =
                container(LocalImages.KAFKA, "kafka")
                        .withEnv(kafkaEnvironment())
                        .waitingFor(Wait.forLogMessage(".*Kafka Server started.*", 1));
        GenericContainer<?> jobManager =
                container(LocalImages.PIPELINE, "jobmanager")
                        .withCommand(jobManagerCommand.toArray(String[]::new))
                        .withFileSystemBind(sharedDir.toString(), SHARED_MOUNT, BindMode.READ_WRITE)
                        .withEnv("FLINK_PROPERTIES", flinkProperties())
                        // The job's main runs here: the keys reach it through the environment.
                        .withEnv("POSTHOG_PROJECT_API_KEY", PROJECT_API_KEY)
                        .withEnv("POSTHOG_PERSONAL_API_KEY", PERSONAL_API_KEY)
                        .waitingFor(Wait.forLogMessage(".*Rest endpoint listening at.*", 1));
        List.of(testkitContainer, kafka).parallelStream().forEach(GenericContainer::start);
        preparation.prepare(this);
        jobManager.start();
        for (int i = 0; i < taskManagerCount; i++) {
            startTaskManager();
        }
        awaitTaskManagers(taskManagerCount);
    }

    /** Starts one more TaskManager container and waits until it registered. */
    GenericContainer<?> startTaskManager() {
        GenericContainer<?> taskManager =
                container(
                                LocalImages.PIPELINE,
                                "taskmanager-" + taskManagerNumber.incrementAndGet())
                        .withCommand("taskmanager")
                        .withFileSystemBind(sharedDir.toString(), SHARED_MOUNT, BindMode.READ_WRITE)
                        .withEnv("FLINK_PROPERTIES", flinkProperties())
                        .waitingFor(
                                Wait.forLogMessage(
                                        ".*Successful registration at resource manager.*", 1));
        taskManager.start();
        taskManagers.add(taskManager);
        return taskManager;
    }

    /** SIGKILLs a TaskManager's container (its JVM gets no chance to say goodbye). */
    void killTaskManager(GenericContainer<?> taskManager) {
        DockerClientFactory.instance()
                .client()
                .killContainerCmd(taskManager.getContainerId())
                .withSignal("KILL")
                .exec();
        taskManagers.remove(taskManager);
        LOG.info("Killed {}", taskManager.getContainerName());
    }

    List<GenericContainer<?>> taskManagers() {
        return List.copyOf(taskManagers);
    }

    void awaitTaskManagers(int count) {
        await("TaskManagers registered: " + count)
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> rest.taskManagerCount() == count);
    }

    FlinkRest rest() {
        return rest;
    }

    TestkitProbe testkit() {
        return testkit;
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    String posthogHost() {
        return "http://127.0.0.1:" + testkitPort;
    }

    private GenericContainer<?> container(String image, String name) {
        GenericContainer<?> container =
                new GenericContainer<>(DockerImageName.parse(image))
                        .withNetworkMode("host")
                        .withStartupTimeout(Duration.ofMinutes(3))
                        .withLogConsumer(
                                new Slf4jLogConsumer(LoggerFactory.getLogger("e2e." + name)));
        all.add(container);
        return container;
    }

    private Map<String, String> kafkaEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_NODE_ID", "1");
        env.put("KAFKA_PROCESS_ROLES", "broker,controller");
        env.put(
                "KAFKA_LISTENERS",
                "PLAINTEXT://127.0.0.1:"
                        + kafkaPort
                        + ",CONTROLLER://127.0.0.1:"
                        + kafkaControllerPort);
        env.put("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://127.0.0.1:" + kafkaPort);
        env.put("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        env.put("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER");
        env.put("KAFKA_INTER_BROKER_LISTENER_NAME", "PLAINTEXT");
        env.put("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@127.0.0.1:" + kafkaControllerPort);
        env.put("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
        env.put("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1");
        env.put("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");
        env.put("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        env.put("KAFKA_NUM_PARTITIONS", "4");
        env.put("KAFKA_HEAP_OPTS", "-Xmx384m -Xms384m");
        return env;
    }

    // Loopback only; small memory; a killed TaskManager noticed within seconds.
    private String flinkProperties() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("jobmanager.rpc.address", "127.0.0.1");
        config.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        config.put("jobmanager.bind-host", "127.0.0.1");
        config.put("rest.address", "127.0.0.1");
        config.put("rest.bind-address", "127.0.0.1");
        config.put("rest.port", Integer.toString(restPort));
        config.put("blob.server.port", "0");
        config.put("query.server.port", "0");
        config.put("taskmanager.host", "127.0.0.1");
        config.put("taskmanager.bind-host", "127.0.0.1");
        config.put("taskmanager.numberOfTaskSlots", Integer.toString(slotsPerTaskManager));
        config.put("jobmanager.memory.process.size", "800m");
        config.put("taskmanager.memory.process.size", "1024m");
        config.put("taskmanager.memory.managed.size", "32m");
        config.put("taskmanager.memory.network.min", "32m");
        config.put("taskmanager.memory.network.max", "32m");
        config.put("taskmanager.memory.framework.off-heap.size", "64m");
        config.put("taskmanager.memory.jvm-metaspace.size", "160m");
        config.put("taskmanager.memory.jvm-overhead.min", "96m");
        config.put("execution.checkpointing.dir", "file://" + SHARED_MOUNT + "/checkpoints");
        config.put("restart-strategy.type", "fixed-delay");
        config.put("restart-strategy.fixed-delay.attempts", "30");
        config.put("restart-strategy.fixed-delay.delay", "2 s");
        config.put("heartbeat.interval", "1000");
        config.put("heartbeat.timeout", "5000");
        config.put("heartbeat.rpc-failure-threshold", "1");
        config.put("resourcemanager.taskmanager-timeout", "5000");
        return config.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    /** Every container's last log lines, for a failure's context. */
    String tails() {
        List<String> out = new ArrayList<>();
        for (GenericContainer<?> container : all) {
            if (container.getContainerId() != null) {
                String logs = container.getLogs();
                int from = Math.max(0, logs.length() - 3000);
                out.add("== " + container.getDockerImageName() + "\n" + logs.substring(from));
            }
        }
        return String.join("\n", out);
    }

    @Override
    public void close() {
        for (GenericContainer<?> container : all) {
            try {
                container.stop();
            } catch (RuntimeException e) {
                LOG.warn("Could not stop {}: {}", container.getDockerImageName(), e.toString());
            }
        }
    }
}
