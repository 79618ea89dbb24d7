package io.github.posthogflink.jobs;

import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.testkit.PostHogServer;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@link PipelineMain} in-process (a local MiniCluster) and captures what it prints. */
record PipelineRun(int code, String out, String err) {

    static PipelineRun against(PostHogServer posthog, String... args) {
        return succeeded(attemptAgainst(posthog, args));
    }

    static PipelineRun run(Map<String, String> env, String... args) {
        return succeeded(attempt(env, args));
    }

    private static PipelineRun succeeded(PipelineRun run) {
        assertThat(run.code).as("exit code; stderr: %s", run.err).isZero();
        return run;
    }

    /** Like {@link #against} without expecting success. */
    static PipelineRun attemptAgainst(PostHogServer posthog, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(
                List.of(
                        "--posthog-host",
                        posthog.baseUrl(),
                        "--project-id",
                        String.valueOf(posthog.projectId())));
        return attempt(
                Map.of(
                        "POSTHOG_PROJECT_API_KEY", posthog.projectApiKey(),
                        "POSTHOG_PERSONAL_API_KEY", posthog.personalApiKey()),
                all.toArray(String[]::new));
    }

    /** Runs {@link PipelineMain} in-process and returns how it ended, success or not. */
    static PipelineRun attempt(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                PipelineMain.run(
                        args,
                        env,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new PipelineRun(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Neither what the run printed nor anything logged so far contains a key of the server. */
    void assertNoKeysLeaked(PostHogServer posthog) throws IOException {
        Path log = Path.of("target/test-logs/jobs.log");
        String logged = Files.exists(log) ? Files.readString(log) : "";
        for (String key : List.of(posthog.projectApiKey(), posthog.personalApiKey())) {
            assertThat(out + err).doesNotContain(key);
            assertThat(logged).doesNotContain(key);
        }
    }

    static List<JsonNode> readJsonLines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(Json.MAPPER.readTree(line));
            }
        }
        return out;
    }
}
