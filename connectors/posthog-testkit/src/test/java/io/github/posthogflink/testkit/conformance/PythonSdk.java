package io.github.posthogflink.testkit.conformance;

import io.github.posthogflink.testkit.PostHogTestServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * posthog-python, run as a subprocess with {@code conformance/python_sdk.py} against a testkit
 * server. The interpreter comes from {@code POSTHOG_PYTHON} (environment) or {@code posthog.python}
 * (system property): a Python whose environment has {@code pip install posthog}; {@code .ci/run}
 * creates one.
 */
final class PythonSdk {
    static final String ENV = "POSTHOG_PYTHON";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 120;

    private final String python;

    private PythonSdk(String python) {
        this.python = python;
    }

    /** Why the SDK cannot run here, or null when it can. */
    static String unavailableReason() {
        String python = configuredPython();
        if (python == null) {
            return "posthog-python is not configured: set "
                    + ENV
                    + " to a Python interpreter with `pip install posthog` (.ci/run creates one)";
        }
        if (!new File(python).canExecute()) {
            return ENV + "=" + python + " is not an executable file";
        }
        try {
            Process probe =
                    new ProcessBuilder(python, "-c", "import posthog; print(posthog.VERSION)")
                            .redirectErrorStream(true)
                            .start();
            if (!probe.waitFor(30, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return python + " did not answer within 30 s";
            }
            String output =
                    new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return probe.exitValue() == 0
                    ? null
                    : "the posthog package is not importable with " + python + ": " + output;
        } catch (IOException e) {
            return "cannot start " + python + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while probing " + python;
        }
    }

    static PythonSdk configured() {
        return new PythonSdk(configuredPython());
    }

    private static String configuredPython() {
        String python = System.getProperty("posthog.python");
        if (python == null || python.isBlank()) {
            python = System.getenv(ENV);
        }
        return python == null || python.isBlank() ? null : python;
    }

    /** Runs a scenario of the script with the server's URL and keys; returns what it printed. */
    JsonNode run(String scenario, PostHogTestServer server, String secretKey) throws Exception {
        Path script = script();
        Path stdout = Files.createTempFile("posthog-python-", ".stdout");
        Path stderr = Files.createTempFile("posthog-python-", ".stderr");
        try {
            Process process =
                    new ProcessBuilder(
                                    List.of(
                                            python,
                                            script.toString(),
                                            scenario,
                                            server.baseUrl(),
                                            server.projectApiKey(),
                                            secretKey))
                            .redirectOutput(stdout.toFile())
                            .redirectError(stderr.toFile())
                            .start();
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("posthog-python scenario " + scenario + " timed out");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(
                        "posthog-python scenario "
                                + scenario
                                + " failed (exit "
                                + process.exitValue()
                                + "):\n"
                                + Files.readString(stderr));
            }
            return MAPPER.readTree(stdout.toFile());
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private static Path script() throws URISyntaxException {
        return Path.of(PythonSdk.class.getResource("/conformance/python_sdk.py").toURI());
    }
}
