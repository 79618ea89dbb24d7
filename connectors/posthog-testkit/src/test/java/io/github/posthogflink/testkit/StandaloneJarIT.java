package io.github.posthogflink.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standalone jar as users start it ({@code java -jar posthog-testkit.jar}): a separate JVM on
 * the shaded jar alone, which takes a capture and answers a HogQL query (DuckDB inside the jar).
 */
@Timeout(120)
class StandaloneJarIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT_KEY = "phc_jar_it_project_key";
    private static final String PERSONAL_KEY = "phx_jar_it_personal_key";

    @Test
    void theStandaloneJarServesCaptureAndHogQL() throws Exception {
        Path jar = Path.of(System.getProperty("testkit.jar"));
        assertThat(jar).exists();
        Process process =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx256m",
                                "-jar",
                                jar.toString(),
                                "--port",
                                "0",
                                "--project-api-key",
                                PROJECT_KEY,
                                "--personal-api-key",
                                PERSONAL_KEY)
                        .redirectErrorStream(true)
                        .start();
        try {
            String baseUrl = awaitListening(process);
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> captured =
                    http.send(
                            post(
                                    baseUrl + "/i/v0/e/",
                                    "{\"api_key\":\""
                                            + PROJECT_KEY
                                            + "\",\"event\":\"jar check\",\"distinct_id\":\"u1\"}",
                                    null),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> queried =
                    http.send(
                            post(
                                    baseUrl + "/api/projects/1/query/",
                                    "{\"query\":{\"kind\":\"HogQLQuery\",\"query\":\"SELECT event,"
                                            + " count() FROM events GROUP BY event\"}}",
                                    PERSONAL_KEY),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(captured.statusCode()).isEqualTo(200);
            assertThat(queried.statusCode()).as(queried.body()).isEqualTo(200);
            JsonNode results = JSON.readTree(queried.body()).get("results");
            assertThat(results).hasSize(1);
            assertThat(results.get(0).get(0).asText()).isEqualTo("jar check");
            assertThat(results.get(0).get(1).asLong()).isEqualTo(1);
        } finally {
            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
    }

    @Test
    void helpPrintsUsageAndExitsZero() throws Exception {
        Process process =
                new ProcessBuilder(java(), "-jar", jar().toString(), "--help")
                        .redirectErrorStream(true)
                        .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(output)
                .startsWith("Usage: java -jar posthog-testkit.jar")
                .contains("--fixtures");
    }

    @Test
    void fixturesAreLoadedAtStart(@TempDir Path dir) throws Exception {
        Path fixtures = dir.resolve("fixtures.json");
        Files.writeString(
                fixtures,
                "{\"persons\":[{\"distinct_id\":\"u1\",\"properties\":{\"plan\":\"pro\"}}],"
                    + "\"flags\":[{\"key\":\"pro-only\",\"filters\":{\"groups\":[{\"properties\":"
                    + "[{\"key\":\"plan\",\"value\":\"pro\",\"type\":\"person\"}],"
                    + "\"rollout_percentage\":100}]}}]}");
        Process process =
                new ProcessBuilder(
                                java(),
                                "-Xmx256m",
                                "-jar",
                                jar().toString(),
                                "--port",
                                "0",
                                "--project-api-key",
                                PROJECT_KEY,
                                "--fixtures",
                                fixtures.toString())
                        .redirectErrorStream(true)
                        .start();
        try {
            String baseUrl = awaitListening(process);
            HttpResponse<String> flags =
                    HttpClient.newHttpClient()
                            .send(
                                    post(
                                            baseUrl + "/flags?v=2",
                                            "{\"api_key\":\""
                                                    + PROJECT_KEY
                                                    + "\",\"distinct_id\":\"u1\"}",
                                            null),
                                    HttpResponse.BodyHandlers.ofString());

            assertThat(JSON.readTree(flags.body()).at("/flags/pro-only/enabled").asBoolean())
                    .as(flags.body())
                    .isTrue();
        } finally {
            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("testkit.jar"));
        assertThat(jar).exists();
        return jar;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Reads the process's output until it says where it listens. */
    private static String awaitListening(Process process) throws Exception {
        Pattern listening = Pattern.compile("listening on (http://\\S+)");
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            seen.append(line).append('\n');
            Matcher m = listening.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "testkit-jar-out");
                drain.setDaemon(true);
                drain.start();
                return m.group(1).replaceAll("/$", "");
            }
        }
        throw new AssertionError("the jar exited without listening:\n" + seen);
    }

    private static HttpRequest post(String url, String body, String bearer) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return request.build();
    }
}
