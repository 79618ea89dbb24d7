package io.github.posthogflink.jobs;

import io.github.posthogflink.jobs.failure.ExitCode;
import io.github.posthogflink.testkit.PostHogServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jars as users run them, each in its own JVM ({@code java -jar}, no flags but a heap limit),
 * into each class of failure: the output ends with the one error line, the exit code is the
 * class's, and without {@code --verbose} there is no stack trace, no key and no event content in
 * anything the process printed (its log included).
 */
@Timeout(600)
class PipelineErrorsIT {
    /** In every input event's properties: must never be printed. */
    private static final String PAYLOAD_MARKER = "payload-marker-7f3a91";

    private static PostHogServer posthog;

    @TempDir static Path dir;

    private static Path input;

    @BeforeAll
    static void start() throws Exception {
        posthog = PostHogServer.builder().build().start();
        input = dir.resolve("events.ndjson");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            lines.append("{\"event\":\"e\",\"distinct_id\":\"user-")
                    .append(i)
                    .append("\",\"properties\":{\"note\":\"")
                    .append(PAYLOAD_MARKER)
                    .append("\"}}\n");
        }
        Files.writeString(input, lines, StandardCharsets.UTF_8);
        // 150 users with history: a join on them is more than PostHog's 100 rows of one answer
        EarlierEvents.capture(posthog, 150);
    }

    @AfterAll
    static void stop() {
        posthog.close();
    }

    @Test
    void aMistypedOptionIsAUsageError() throws Exception {
        JarRun run = JarRun.demo(Map.of(), "--posthog-hots", "http://127.0.0.1:1");

        run.assertFailed(ExitCode.USAGE, "error: unknown option --posthog-hots (see --help)");
    }

    @Test
    void theLeanJarWithoutFlinkSaysHowToRunIt() throws Exception {
        JarRun help = JarRun.of(System.getProperty("pipeline.jar"), Map.of(), "--help");
        assertThat(help.code).as(help.output).isZero();
        assertThat(help.output).contains("--no-preflight", "--historical-migration");

        JarRun run =
                JarRun.of(
                        System.getProperty("pipeline.jar"),
                        Map.of(),
                        "--input",
                        input.toString(),
                        "--posthog-host",
                        posthog.baseUrl());
        run.assertFailed(
                ExitCode.USAGE,
                "error: Flink is not on the classpath (submit posthog-pipeline.jar with `flink"
                        + " run`, or run posthog-pipeline-demo.jar with `java -jar`)");
    }

    @Test
    void aWrongPersonalKeyIsFoundByThePreflightInSeconds() throws Exception {
        JarRun run = pipeline(Map.of("POSTHOG_PERSONAL_API_KEY", "phx_not_the_key_0042"));

        run.assertFailed(
                ExitCode.CONFIGURATION,
                "error: PostHog refused the personal API key: HTTP 401 on GET /api/projects/"
                        + posthog.projectId()
                        + "/: Personal API key found in request Authorization header is invalid."
                        + " (set POSTHOG_PERSONAL_API_KEY to a personal API key, phx_..., of this"
                        + " PostHog (Settings > Personal API keys))");
        assertThat(run.output).doesNotContain("phx_not_the_key_0042");
    }

    @Test
    void aWrongPersonalKeyFailsTheRunningJobWithTheSameKindOfLine() throws Exception {
        JarRun run =
                pipeline(
                        Map.of("POSTHOG_PERSONAL_API_KEY", "phx_not_the_key_0042"),
                        "--no-preflight");

        run.assertFailed(ExitCode.CONFIGURATION, null);
        assertThat(run.lastLine())
                .startsWith("error: PostHog refused the personal API key: HTTP 401 on ")
                .endsWith("(Settings > Personal API keys))");
        assertThat(run.output).doesNotContain("phx_not_the_key_0042");
    }

    @Test
    void aClosedPortIsUnreachableForThePreflightAndTheVerboseRunShowsTheStackTrace()
            throws Exception {
        int port = closedPort();
        String line =
                "error: cannot reach PostHog: connection refused by 127.0.0.1:"
                        + port
                        + " (check --posthog-host and the network)";

        JarRun run = pipeline(Map.of(), "--posthog-host", "http://127.0.0.1:" + port);
        run.assertFailed(ExitCode.UNREACHABLE, line);
        assertThat(run.seconds).as("found in seconds").isLessThan(60);

        JarRun verbose =
                pipeline(Map.of(), "--posthog-host", "http://127.0.0.1:" + port, "--verbose");
        assertThat(verbose.code).isEqualTo(ExitCode.UNREACHABLE.code());
        assertThat(verbose.lastLine()).isEqualTo(line);
        assertThat(verbose.output).contains("\tat io.github.posthogflink.");
    }

    @Test
    void aClosedPortFailsTheRunningSinkAfterItsDeliveryTimeoutNamingHostAndPort() throws Exception {
        int port = closedPort();
        JarRun run =
                pipeline(
                        Map.of(),
                        "--posthog-host",
                        "http://127.0.0.1:" + port,
                        "--posthog-api-host",
                        posthog.baseUrl(),
                        "--flags",
                        "off",
                        "--persons",
                        "off",
                        "--no-preflight",
                        "--delivery-timeout",
                        "2s");

        run.assertFailed(
                ExitCode.UNREACHABLE,
                "error: cannot reach PostHog: connection refused by 127.0.0.1:"
                        + port
                        + " (check --posthog-host and the network)");
        assertThat(run.output)
                .contains("PostHog capture failed (connection refused by 127.0.0.1:" + port + ")");
    }

    @Test
    void aMissingInputFileIsAJobFailure() throws Exception {
        Path missing = dir.resolve("no-such-file.ndjson");
        JarRun run =
                pipeline(
                        Map.of(),
                        "--input",
                        missing.toString(),
                        "--flags",
                        "off",
                        "--persons",
                        "off");

        run.assertFailed(ExitCode.JOB_FAILED, null);
        assertThat(run.lastLine())
                .startsWith("error: the job failed: ")
                .contains(missing.toString())
                .endsWith("(run with --verbose for the stack trace)");
    }

    /**
     * A join over more rows than one answer holds (150 users; PostHog answers 100 rows without a
     * LIMIT) used to fail, in the preflight and in the job; it is now read in pages by its key.
     */
    @Test
    void aJoinOverMoreThanOneAnswerIsPagedByItsKeyAndRuns() throws Exception {
        String join = "SELECT distinct_id, count() AS n FROM events GROUP BY distinct_id";
        int before = joined();

        JarRun run = pipeline(Map.of(), "--hogql-join", join, "--flags", "off");

        assertThat(run.code).as(run.output).isZero();
        assertThat(run.output).doesNotContain("error:");
        assertThat(joined() - before).as("the 20 input events, each joined").isEqualTo(20);
    }

    /** Events of the input file that carry the join's column. */
    private static int joined() {
        return (int)
                posthog.events().stream()
                        .filter(e -> e.properties().has("note") && e.properties().has("n"))
                        .count();
    }

    /** The demo jar running the pipeline from the input file against the testkit. */
    private static JarRun pipeline(Map<String, String> env, String... args) throws Exception {
        Map<String, String> keys = new HashMap<>();
        keys.put("POSTHOG_PROJECT_API_KEY", posthog.projectApiKey());
        keys.put("POSTHOG_PERSONAL_API_KEY", posthog.personalApiKey());
        keys.putAll(env);
        Map<String, String> options = new java.util.LinkedHashMap<>();
        options.put("--input", input.toString());
        options.put("--posthog-host", posthog.baseUrl());
        options.put("--project-id", String.valueOf(posthog.projectId()));
        options.put("--parallelism", "1");
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            boolean isSwitch = i + 1 >= args.length || args[i + 1].startsWith("--");
            if (isSwitch) {
                flags.add(args[i]);
            } else {
                options.put(args[i], args[++i]);
            }
        }
        List<String> all = new ArrayList<>();
        options.forEach(
                (k, v) -> {
                    all.add(k);
                    all.add(v);
                });
        all.addAll(flags);
        return JarRun.demo(keys, all.toArray(String[]::new));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** One run of a jar in its own JVM: exit code, everything it printed, how long it took. */
    private record JarRun(int code, String output, double seconds) {
        static JarRun demo(Map<String, String> env, String... args) throws Exception {
            return of(System.getProperty("demo.jar"), env, args);
        }

        static JarRun of(String jar, Map<String, String> env, String... args) throws Exception {
            assertThat(Path.of(jar)).exists();
            Path output = Files.createTempFile(dir, "jar-run-", ".out");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx512m");
            command.add("-jar");
            command.add(jar);
            command.addAll(List.of(args));
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(output.toFile());
            builder.environment().remove("POSTHOG_PROJECT_API_KEY");
            builder.environment().remove("POSTHOG_PERSONAL_API_KEY");
            builder.environment().putAll(env);
            long start = System.nanoTime();
            Process process = builder.start();
            boolean finished = process.waitFor(240, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(finished).as("finished; output:\n%s", printed).isTrue();
            return new JarRun(process.exitValue(), printed, (System.nanoTime() - start) / 1e9);
        }

        String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines[lines.length - 1];
        }

        /** The exit code, the last line (when given), and nothing that must never be printed. */
        void assertFailed(ExitCode expected, String line) {
            assertThat(code).as("exit code; output:\n%s", output).isEqualTo(expected.code());
            assertThat(lastLine()).as(output).startsWith("error: ");
            if (line != null) {
                assertThat(lastLine()).isEqualTo(line);
            }
            assertThat(output)
                    .as("no stack trace, no event content, no key")
                    .doesNotContain("\tat ", "Exception in thread", PAYLOAD_MARKER)
                    .doesNotContain(posthog.projectApiKey(), posthog.personalApiKey());
        }
    }
}
