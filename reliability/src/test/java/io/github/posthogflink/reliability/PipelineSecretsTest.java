package io.github.posthogflink.reliability;

import io.github.posthogflink.reliability.cluster.HarnessSettings;
import io.github.posthogflink.reliability.cluster.JarRun;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys given to the pipeline as program arguments ({@code --project-api-key}) rather than through
 * the environment: the REST views of the job and the jars, the cluster's logs and temp files still
 * do not show them.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PipelineSecretsTest {

    private static ReliabilityCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ReliabilityCluster.start("pipeline-secrets", 1);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void keysGivenAsArgumentsStayOutOfRestViewsAndLogs() throws Exception {
        String jarId = cluster.flink.rest().uploadJar(HarnessSettings.pipelineJar());
        Path input = cluster.flink.layout().root().resolve("input/one.ndjson");
        Files.createDirectories(input.getParent());
        Files.writeString(
                input,
                "{\"event\":\"keys as arguments\",\"distinct_id\":\"u1\"}\n",
                StandardCharsets.UTF_8);
        String jobId =
                cluster.flink
                        .rest()
                        .runJar(
                                jarId,
                                JarRun.of(
                                        PipelineEvents.PIPELINE_MAIN,
                                        List.of(
                                                "--input",
                                                input.toString(),
                                                "--posthog-host",
                                                cluster.posthog.baseUrl(),
                                                "--persons",
                                                "off",
                                                "--flags",
                                                "off",
                                                "--project-api-key",
                                                Secrets.PROJECT_KEY)));
        cluster.flink.rest().awaitJobState(jobId, Duration.ofMinutes(1), "FINISHED");

        assertThat(cluster.posthog.dedupedEvents()).hasSize(1);
        Secrets.assertNoKeys("/jobs/:id/config", cluster.flink.rest().jobConfig(jobId));
        Secrets.assertNoKeys("/jobs/:id", cluster.flink.rest().job(jobId).toString());
        Secrets.assertNoKeys("/jobs/:id/exceptions", cluster.flink.rest().exceptions(jobId));
        Secrets.assertNoKeys("/jars", cluster.flink.rest().get("/jars"));
        Secrets.assertNoKeys("/jobmanager/config", cluster.flink.rest().jobManagerConfig());
        assertThat(Secrets.filesContainingKeys(cluster.flink.layout().log())).isEmpty();
        assertThat(Secrets.filesContainingKeys(cluster.flink.layout().tmp())).isEmpty();
        assertThat(Secrets.filesContainingKeys(cluster.flink.layout().checkpoints())).isEmpty();
    }
}
