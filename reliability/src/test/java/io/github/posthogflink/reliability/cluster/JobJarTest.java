package io.github.posthogflink.reliability.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

class JobJarTest {

    @Test
    void bundlesTheJobAndItsDependenciesButNotFlinkOrSlf4j(@TempDir Path dir) throws Exception {
        Path jar =
                JobJar.build(
                        dir.resolve("job.jar"),
                        "io.github.posthogflink.reliability.job.SequenceToPostHogJob",
                        "io/github/posthogflink/reliability/job/");
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("io.github.posthogflink.reliability.job.SequenceToPostHogJob");
            assertThat(
                            file.getEntry(
                                    "io/github/posthogflink/reliability/job/SequenceToPostHogJob.class"))
                    .isNotNull();
            assertThat(file.getEntry("io/github/posthogflink/connector/sink/PostHogSink.class"))
                    .isNotNull();
            assertThat(file.getEntry("org/asynchttpclient/AsyncHttpClient.class")).isNotNull();
            // Only the job package of the test classes: no tests, no harness.
            assertThat(file.getEntry("io/github/posthogflink/reliability/cluster/JobJar.class"))
                    .isNull();
            assertThat(file.getEntry("org/slf4j/Logger.class")).isNull();
            assertThat(file.getEntry("org/apache/flink/streaming/api/datastream/DataStream.class"))
                    .isNull();
            assertThat(Collections.list(file.entries()))
                    .extracting(JarEntry::getName)
                    .noneMatch(name -> name.endsWith("module-info.class"))
                    .noneMatch(name -> name.endsWith(".SF") || name.endsWith(".RSA"))
                    .doesNotHaveDuplicates();
            JarEntry services =
                    file.getJarEntry("META-INF/services/com.fasterxml.jackson.core.JsonFactory");
            assertThat(services).isNotNull();
            String merged =
                    new String(
                            file.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(merged).contains("com.fasterxml.jackson.core.JsonFactory");
        }
    }
}
