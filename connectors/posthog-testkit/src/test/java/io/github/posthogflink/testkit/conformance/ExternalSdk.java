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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of PostHog's SDKs for another language, run as a subprocess: an interpreter runs a script
 * from {@code src/test/resources/conformance/} with a scenario name, the server's URL and keys, and
 * prints what the SDK answered as one JSON object. Where the interpreter and the SDK come from is
 * configured by an environment variable (or a system property of the same meaning), which {@code
 * .ci/run} sets.
 */
final class ExternalSdk {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 120;

    private final String name;
    private final List<String> interpreter;
    private final Map<String, String> environment;
    private final String script;
    private final List<String> probe;

    private ExternalSdk(
            String name,
            List<String> interpreter,
            Map<String, String> environment,
            String script,
            List<String> probe) {
        this.name = name;
        this.interpreter = interpreter;
        this.environment = environment;
        this.script = script;
        this.probe = probe;
    }

    /**
     * posthog-python: {@code POSTHOG_PYTHON} (or {@code -Dposthog.python}) is a Python whose
     * environment has {@code pip install posthog}; null when it is not configured.
     */
    static ExternalSdk python() {
        String python = configured("posthog.python", "POSTHOG_PYTHON");
        return python == null
                ? null
                : new ExternalSdk(
                        "posthog-python",
                        List.of(python),
                        Map.of(),
                        "python_sdk.py",
                        List.of(python, "-c", "import posthog; print(posthog.VERSION)"));
    }

    /**
     * posthog-node: {@code POSTHOG_NODE_MODULES} (or {@code -Dposthog.node.modules}) is a {@code
     * node_modules} folder with {@code npm install posthog-node}; null when it is not configured.
     */
    static ExternalSdk node() {
        String modules = configured("posthog.node.modules", "POSTHOG_NODE_MODULES");
        return modules == null
                ? null
                : new ExternalSdk(
                        "posthog-node",
                        List.of("node"),
                        Map.of("NODE_PATH", modules),
                        "node_sdk.js",
                        List.of("node", "-e", "require('posthog-node')"));
    }

    /** Why this SDK cannot run here, or null when it can. */
    static String unavailableReason(
            ExternalSdk sdk, String sdkName, String variable, String install) {
        if (sdk == null) {
            return sdkName
                    + " is not configured: set "
                    + variable
                    + " to "
                    + install
                    + " (.ci/run does so)";
        }
        if (sdk.interpreter.get(0).contains(File.separator)
                && !new File(sdk.interpreter.get(0)).canExecute()) {
            return variable + "=" + sdk.interpreter.get(0) + " is not an executable file";
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(sdk.probe).redirectErrorStream(true);
            builder.environment().putAll(sdk.environment);
            Process probe = builder.start();
            if (!probe.waitFor(30, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return sdk.name + " did not answer its probe within 30 s";
            }
            String output =
                    new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return probe.exitValue() == 0 ? null : sdk.name + " is not usable: " + output;
        } catch (IOException e) {
            return "cannot start " + sdk.interpreter.get(0) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while probing " + sdk.name;
        }
    }

    private static String configured(String property, String variable) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? null : value;
    }

    /** Runs a scenario with the server's URL and keys; returns what the script printed. */
    JsonNode run(String scenario, PostHogTestServer server, String secretKey) throws Exception {
        List<String> command = new ArrayList<>(interpreter);
        command.add(script().toString());
        command.addAll(List.of(scenario, server.baseUrl(), server.projectApiKey(), secretKey));
        Path stdout = Files.createTempFile(name + "-", ".stdout");
        Path stderr = Files.createTempFile(name + "-", ".stderr");
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .redirectOutput(stdout.toFile())
                            .redirectError(stderr.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(name + " scenario " + scenario + " timed out");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(
                        name
                                + " scenario "
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

    private Path script() throws URISyntaxException {
        return Path.of(ExternalSdk.class.getResource("/conformance/" + script).toURI());
    }
}
