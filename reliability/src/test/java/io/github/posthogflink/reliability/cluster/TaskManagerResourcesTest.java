package io.github.posthogflink.reliability.cluster;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskManagerResourcesTest {

    @Test
    void readsTheLastTwoResultLinesAndIgnoresLogging() {
        String output =
                String.join(
                        "\n",
                        "INFO  [] - Loading configuration property: taskmanager.numberOfTaskSlots,"
                                + " 1",
                        "BASH_JAVA_UTILS_EXEC_RESULT:-Xmx100 -Xms100 -XX:MaxDirectMemorySize=20",
                        "BASH_JAVA_UTILS_EXEC_RESULT:-D a=1b -D b=2b",
                        "");
        TaskManagerResources resources = TaskManagerResources.parse(output);
        assertThat(resources.jvmParameters())
                .containsExactly("-Xmx100", "-Xms100", "-XX:MaxDirectMemorySize=20");
        assertThat(resources.dynamicConfigs()).containsExactly("-D", "a=1b", "-D", "b=2b");
    }

    @Test
    void failsWithoutBothLines() {
        assertThatThrownBy(() -> TaskManagerResources.parse("BASH_JAVA_UTILS_EXEC_RESULT:-Xmx1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 result lines");
    }

    @Test
    void flinkComputesAModestTaskManagerFromTheGeneratedConf(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        ClusterLayout layout = ClusterLayout.create(dir);
        ClusterConfigWriter.write(
                ClusterConfigWriter.configFor(ClusterSpec.in(dir), layout, 6123, 8081), layout);
        String classpath =
                HarnessSettings.clusterClasspath().stream()
                        .map(Path::toString)
                        .collect(Collectors.joining(java.io.File.pathSeparator));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        TaskManagerResources resources =
                TaskManagerResources.compute(java, classpath, layout.conf());

        List<String> jvm = resources.jvmParameters();
        long heap = Long.parseLong(jvm.get(0).substring("-Xmx".length()));
        assertThat(heap).isBetween(256L << 20, 512L << 20);
        assertThat(resources.dynamicConfigs())
                .contains(
                        "taskmanager.numberOfTaskSlots=1",
                        "taskmanager.memory.managed.size=33554432b");
        assertThat(Files.readString(layout.conf().resolve("config.yaml")))
                .contains("rest.bind-address: '127.0.0.1'")
                .contains("restart-strategy.type: 'fixed-delay'");
    }
}
