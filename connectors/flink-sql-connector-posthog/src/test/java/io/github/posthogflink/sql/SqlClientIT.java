package io.github.posthogflink.sql;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.capture.CapturedEvent;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code sql/kafka-to-posthog.sql} through Flink's real SQL client, in a child JVM, with the
 * shaded jar and the Kafka SQL connector added with {@code -j} as users add them.
 */
class SqlClientIT {
    private static final Logger LOG = LoggerFactory.getLogger(SqlClientIT.class);
    private static final int ORDERS = 20;

    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private static KafkaTestCluster kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaTestCluster.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    @Test
    void kafkaToPostHogThroughTheSqlClient(@TempDir Path dir) throws Exception {
        kafka.produce("client-orders", SqlScriptsTest.orders(ORDERS));
        Map<String, String> values =
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        kafka.bootstrapServers(),
                        "KAFKA_TOPIC",
                        "client-orders",
                        "KAFKA_GROUP_ID",
                        "sql-client",
                        "KAFKA_SCAN_BOUNDED_MODE",
                        "latest-offset",
                        "POSTHOG_HOST",
                        posthog.baseUrl());
        Path script = dir.resolve("kafka-to-posthog.sql");
        Files.writeString(script, SqlScripts.load("kafka-to-posthog.sql", values));
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(
                conf.resolve("config.yaml"),
                "execution:\n  target: local\nparallelism:\n  default: 1\n"
                        + "sql-client:\n  verbose: true\n"
                        + "taskmanager:\n  memory:\n    network:\n      max: 64mb\n");
        Path output = dir.resolve("sql-client.log");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(Arrays.asList(System.getProperty("flink.jvm.opens", "").split("\\s+")));
        command.add("-cp");
        command.add(clientClasspath());
        command.add("org.apache.flink.table.client.SqlClient");
        command.add("embedded");
        command.add("-j");
        command.add(ShadedJarIT.jarFile().getAbsolutePath());
        command.add("-j");
        command.add(kafkaSqlJar());
        command.add("-f");
        command.add(script.toString());
        command.removeIf(String::isBlank);

        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile());
        builder.environment().put("FLINK_CONF_DIR", conf.toString());
        // The script reads its key from the environment ('credentials.provider' = 'ENV').
        builder.environment().put("POSTHOG_PROJECT_API_KEY", posthog.projectApiKey());
        Process client = builder.start();
        boolean finished = client.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            client.destroyForcibly();
        }
        String log = Files.readString(output);
        LOG.info("SQL client output:\n{}", log);
        assertThat(finished).as("SQL client finished; output:\n" + log).isTrue();
        assertThat(client.exitValue()).as("exit code; output:\n" + log).isZero();

        List<CapturedEvent> events = posthog.events();
        assertThat(events).as("events; SQL client output:\n" + log).hasSize(ORDERS);
        assertThat(events.stream().map(CapturedEvent::uuid).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.IntStream.range(0, ORDERS)
                                .mapToObj(
                                        i -> new UUID(0x0190e3b400007000L, 0x8000000000000000L | i))
                                .toList());
        assertThat(events).allSatisfy(e -> assertThat(e.property("source")).isEqualTo("kafka"));
    }

    /** Flink (client, gateway, planner, runtime, JSON format, python jar): no connector jars. */
    private static String clientClasspath() throws Exception {
        List<String> entries = new ArrayList<>();
        for (URL url : ShadedJarIT.flinkClasspath()) {
            String path = new File(url.toURI()).getPath();
            if (!path.contains("flink-connector-kafka") && !path.contains("/posthog")) {
                entries.add(path);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String kafkaSqlJar() {
        File jar = new File(System.getProperty("kafka.sql.jar", "missing.jar"));
        assertThat(jar).as("copied in pre-integration-test").exists();
        return jar.getAbsolutePath();
    }
}
