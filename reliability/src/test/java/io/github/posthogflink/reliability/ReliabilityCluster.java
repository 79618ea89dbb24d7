package io.github.posthogflink.reliability;

import io.github.posthogflink.reliability.cluster.ClusterSpec;
import io.github.posthogflink.reliability.cluster.FlinkCluster;
import io.github.posthogflink.reliability.cluster.HarnessSettings;
import io.github.posthogflink.reliability.cluster.JobJar;
import io.github.posthogflink.reliability.job.SequenceToPostHogJob;
import io.github.posthogflink.testkit.PostHogServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What a reliability test class shares: a PostHog testkit in the test JVM, a Flink session cluster
 * whose processes hold the keys in their environment, and the test job's jar, uploaded.
 */
final class ReliabilityCluster implements AutoCloseable {

    static final String JOB_MAIN = SequenceToPostHogJob.class.getName();

    final PostHogServer posthog;
    final FlinkCluster flink;
    final String jarId;

    private ReliabilityCluster(PostHogServer posthog, FlinkCluster flink, String jarId) {
        this.posthog = posthog;
        this.flink = flink;
        this.jarId = jarId;
    }

    static ReliabilityCluster start(String name, int taskManagers)
            throws IOException, InterruptedException {
        return start(name, taskManagers, spec -> {});
    }

    /** As {@link #start(String, int)}, with the cluster spec adjusted (memory, config). */
    static ReliabilityCluster start(String name, int taskManagers, Consumer<ClusterSpec> adjust)
            throws IOException, InterruptedException {
        Path workDir = HarnessSettings.workRoot().resolve(name + "-" + UUID.randomUUID());
        Files.createDirectories(workDir);
        PostHogServer posthog =
                PostHogServer.builder()
                        .projectApiKey(Secrets.PROJECT_KEY)
                        .personalApiKey(Secrets.PERSONAL_KEY)
                        .journalCapacity(20_000)
                        .build()
                        .start();
        FlinkCluster flink = null;
        try {
            ClusterSpec spec =
                    ClusterSpec.in(workDir)
                            .taskManagers(taskManagers)
                            .slotsPerTaskManager(1)
                            .environment("POSTHOG_PROJECT_API_KEY", Secrets.PROJECT_KEY)
                            .environment("POSTHOG_PERSONAL_API_KEY", Secrets.PERSONAL_KEY)
                            .environment(
                                    "POSTHOG_WRONG_PROJECT_API_KEY", Secrets.WRONG_PROJECT_KEY);
            adjust.accept(spec);
            flink = FlinkCluster.start(spec);
            Path jar =
                    JobJar.build(
                            workDir.resolve("jobs/sequence-job.jar"),
                            JOB_MAIN,
                            SequenceToPostHogJob.class.getPackageName().replace('.', '/') + "/");
            String jarId = flink.rest().uploadJar(jar);
            return new ReliabilityCluster(posthog, flink, jarId);
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (flink != null) {
                flink.close();
            }
            posthog.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            flink.close();
        } finally {
            posthog.close();
        }
    }
}
