package io.github.posthogflink.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The JobManager's REST API, as {@code flink run} uses it: upload a jar, run it with arguments,
 * then watch the job, its checkpoints and the registered TaskManagers.
 */
final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    FlinkRest(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** {@code POST /jars/upload}: the jar's id on the JobManager. */
    String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "----e2e" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(
                ("--"
                                + boundary
                                + "\r\n"
                                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request =
                HttpRequest.newBuilder(base.resolve("/jars/upload"))
                        .timeout(Duration.ofMinutes(2))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build();
        String filename = send(request).get("filename").asText();
        return filename.substring(filename.lastIndexOf('/') + 1);
    }

    /** {@code POST /jars/:id/run}: the job id. */
    String runJar(String jarId, List<String> programArgs, int parallelism)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.putPOJO("programArgsList", programArgs);
        body.put("parallelism", parallelism);
        HttpRequest request =
                HttpRequest.newBuilder(base.resolve("/jars/" + jarId + "/run"))
                        .timeout(Duration.ofMinutes(2))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build();
        return send(request).get("jobid").asText();
    }

    /** The job's state, e.g. RUNNING. */
    String jobState(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId).get("state").asText();
    }

    /** Every job the cluster knows: id and state. */
    JsonNode jobs() throws IOException, InterruptedException {
        return get("/jobs").get("jobs");
    }

    /** Tasks of the job in state RUNNING (a job is RUNNING before all its tasks are). */
    boolean allTasksRunning(String jobId) throws IOException, InterruptedException {
        JsonNode vertices = get("/jobs/" + jobId).get("vertices");
        for (JsonNode vertex : vertices) {
            if (!"RUNNING".equals(vertex.get("status").asText())) {
                return false;
            }
        }
        return !vertices.isEmpty();
    }

    /** Checkpoints completed so far. */
    long completedCheckpoints(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints").at("/counts/completed").asLong();
    }

    /** TaskManagers registered at the ResourceManager. */
    int taskManagerCount() throws IOException, InterruptedException {
        return get("/taskmanagers").get("taskmanagers").size();
    }

    /** {@code PATCH /jobs/:id}: cancels the job. */
    void cancel(String jobId) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "?mode=cancel"))
                        .timeout(Duration.ofSeconds(30))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build();
        send(request);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build());
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    request.method()
                            + " "
                            + request.uri()
                            + ": "
                            + response.statusCode()
                            + " "
                            + response.body());
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }
}
