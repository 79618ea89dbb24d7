package io.github.posthogflink.reliability.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * The parts of Flink's REST API the tests use, over {@code java.net.http}: jar upload and run (as
 * {@code flink run} does), job state, checkpoints, exceptions, config, stop-with-savepoint.
 */
public final class FlinkRestClient {

    /** Terminal job states. */
    public static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "CANCELED");

    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI baseUri;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();

    FlinkRestClient(URI baseUri) {
        this.baseUri = baseUri;
    }

    public URI baseUri() {
        return baseUri;
    }

    /** {@code POST /jars/upload} (multipart, field {@code jarfile}); returns the jar id. */
    public String uploadJar(Path jar) throws IOException {
        String boundary = "----reliability" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String head =
                "--"
                        + boundary
                        + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                        + jar.getFileName()
                        + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n";
        body.write(head.getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request =
                HttpRequest.newBuilder(baseUri.resolve("/jars/upload"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build();
        JsonNode answer = JSON.readTree(send(request, 200));
        String filename = answer.path("filename").asText();
        return filename.substring(filename.lastIndexOf('/') + 1);
    }

    /** {@code POST /jars/:id/run}; returns the job id. */
    public String runJar(String jarId, JarRun run) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("entryClass", run.entryClass());
        ArrayNode args = body.putArray("programArgsList");
        run.programArgs().forEach(args::add);
        body.put("parallelism", run.parallelism());
        if (run.savepointPath() != null) {
            body.put("savepointPath", run.savepointPath());
            body.put("allowNonRestoredState", run.allowNonRestoredState());
        }
        JsonNode answer = postJson("/jars/" + jarId + "/run", body, 200);
        return answer.path("jobid").asText();
    }

    /** {@code GET /jobs/:id}. */
    public JsonNode job(String jobId) throws IOException {
        return getJson("/jobs/" + jobId);
    }

    public String jobState(String jobId) throws IOException {
        return job(jobId).path("state").asText();
    }

    /** Waits for one of the states; fails early if the job ends in another terminal state. */
    public void awaitJobState(String jobId, Duration timeout, String... states) {
        Set<String> wanted = Set.of(states);
        AtomicReference<String> last = new AtomicReference<>("?");
        await("job " + jobId + " in " + wanted)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> {
                            String state = jobState(jobId);
                            last.set(state);
                            if (!wanted.contains(state) && TERMINAL.contains(state)) {
                                throw new IllegalStateException(
                                        "job "
                                                + jobId
                                                + " ended "
                                                + state
                                                + ": "
                                                + exceptions(jobId));
                            }
                            return wanted.contains(state);
                        });
    }

    /** {@code GET /jobs/:id/checkpoints}. */
    public JsonNode checkpoints(String jobId) throws IOException {
        return getJson("/jobs/" + jobId + "/checkpoints");
    }

    /** Number of completed checkpoints of the job. */
    public long completedCheckpoints(String jobId) throws IOException {
        return checkpoints(jobId).path("counts").path("completed").asLong();
    }

    /** {@code GET /jobs/:id/exceptions}, as the raw JSON text. */
    public String exceptions(String jobId) throws IOException {
        return get("/jobs/" + jobId + "/exceptions");
    }

    /** {@code GET /jobs/:id/config}, as the raw JSON text. */
    public String jobConfig(String jobId) throws IOException {
        return get("/jobs/" + jobId + "/config");
    }

    /** {@code GET /jobmanager/config}, as the raw JSON text. */
    public String jobManagerConfig() throws IOException {
        return get("/jobmanager/config");
    }

    /** {@code GET /taskmanagers}: the number of registered TaskManagers. */
    public int taskManagerCount() throws IOException {
        return getJson("/taskmanagers").path("taskmanagers").size();
    }

    /**
     * True when the job is RUNNING and every vertex of it is RUNNING (deployed, not restarting).
     */
    public boolean allVerticesRunning(String jobId) throws IOException {
        JsonNode job = job(jobId);
        if (!"RUNNING".equals(job.path("state").asText())) {
            return false;
        }
        for (JsonNode vertex : job.path("vertices")) {
            if (!"RUNNING".equals(vertex.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    /** The job's vertices: id → name. */
    public Map<String, String> vertices(String jobId) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode vertex : job(jobId).path("vertices")) {
            out.put(vertex.path("id").asText(), vertex.path("name").asText());
        }
        return out;
    }

    /** Ids of the TaskManagers running at least one subtask of the job. */
    public Set<String> taskManagersRunning(String jobId) throws IOException {
        Set<String> out = new java.util.HashSet<>();
        for (String vertexId : vertices(jobId).keySet()) {
            for (JsonNode tm :
                    getJson("/jobs/" + jobId + "/vertices/" + vertexId + "/taskmanagers")
                            .path("taskmanagers")) {
                if (tm.path("status-counts").path("RUNNING").asInt() > 0) {
                    out.add(tm.path("taskmanager-id").asText());
                }
            }
        }
        return out;
    }

    /** The ids of the metrics a vertex's subtasks report ({@code GET .../subtasks/metrics}). */
    public List<String> vertexMetricIds(String jobId, String vertexId) throws IOException {
        List<String> ids = new ArrayList<>();
        for (JsonNode metric :
                getJson("/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics")) {
            ids.add(metric.path("id").asText());
        }
        return ids;
    }

    /** Each metric summed over the vertex's subtasks; metrics not reported are left out. */
    public Map<String, Double> summedVertexMetrics(
            String jobId, String vertexId, Collection<String> metricIds) throws IOException {
        String query =
                metricIds.stream()
                        .map(id -> URLEncoder.encode(id, StandardCharsets.UTF_8))
                        .collect(Collectors.joining(","));
        Map<String, Double> out = new LinkedHashMap<>();
        for (JsonNode metric :
                getJson(
                        "/jobs/"
                                + jobId
                                + "/vertices/"
                                + vertexId
                                + "/subtasks/metrics?agg=sum&get="
                                + query)) {
            out.put(metric.path("id").asText(), metric.path("sum").asDouble());
        }
        return out;
    }

    /**
     * Every metric the cluster reports for a running job, names and values, as text: each subtask's
     * (its task's and its operators'), each TaskManager's and the JobManager's.
     */
    public String metricsDump(String jobId) throws IOException {
        StringBuilder dump = new StringBuilder();
        for (JsonNode vertex : job(jobId).path("vertices")) {
            String vertexPath = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText();
            for (int subtask = 0; subtask < vertex.path("parallelism").asInt(); subtask++) {
                appendMetrics(dump, vertexPath + "/subtasks/" + subtask + "/metrics");
            }
        }
        for (JsonNode tm : getJson("/taskmanagers").path("taskmanagers")) {
            appendMetrics(dump, "/taskmanagers/" + tm.path("id").asText() + "/metrics");
        }
        appendMetrics(dump, "/jobmanager/metrics");
        return dump.toString();
    }

    /** The metric ids at {@code path}, then their values, 50 ids per request. */
    private void appendMetrics(StringBuilder dump, String path) throws IOException {
        List<String> ids = new ArrayList<>();
        getJson(path).forEach(metric -> ids.add(metric.path("id").asText()));
        for (int from = 0; from < ids.size(); from += 50) {
            String query =
                    ids.subList(from, Math.min(ids.size(), from + 50)).stream()
                            .map(id -> URLEncoder.encode(id, StandardCharsets.UTF_8))
                            .collect(Collectors.joining(","));
            dump.append(path).append(' ').append(get(path + "?get=" + query)).append('\n');
        }
    }

    /**
     * Stop-with-savepoint ({@code POST /jobs/:id/stop}), then polls the trigger until done; returns
     * the savepoint's location.
     */
    public String stopWithSavepoint(String jobId, Path targetDirectory, boolean drain)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("targetDirectory", targetDirectory.toUri().toString());
        body.put("drain", drain);
        String triggerId =
                postJson("/jobs/" + jobId + "/stop", body, 202).path("request-id").asText();
        AtomicReference<JsonNode> result = new AtomicReference<>();
        await("savepoint of " + jobId)
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> {
                            JsonNode status =
                                    getJson("/jobs/" + jobId + "/savepoints/" + triggerId);
                            result.set(status);
                            return "COMPLETED".equals(status.path("status").path("id").asText());
                        });
        JsonNode operation = result.get().path("operation");
        if (operation.has("failure-cause")) {
            throw new IllegalStateException(
                    "stop-with-savepoint failed: " + operation.path("failure-cause"));
        }
        return operation.path("location").asText();
    }

    /** {@code PATCH /jobs/:id?mode=cancel}. */
    public void cancel(String jobId) throws IOException {
        HttpRequest request =
                HttpRequest.newBuilder(baseUri.resolve("/jobs/" + jobId + "?mode=cancel"))
                        .timeout(Duration.ofSeconds(30))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build();
        send(request, 202);
    }

    public String get(String path) throws IOException {
        HttpRequest request =
                HttpRequest.newBuilder(baseUri.resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build();
        return send(request, 200);
    }

    private JsonNode getJson(String path) throws IOException {
        return JSON.readTree(get(path));
    }

    private JsonNode postJson(String path, JsonNode body, int expectedStatus) throws IOException {
        HttpRequest request =
                HttpRequest.newBuilder(baseUri.resolve(path))
                        .timeout(Duration.ofSeconds(120))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build();
        return JSON.readTree(send(request, expectedStatus));
    }

    private String send(HttpRequest request, int expectedStatus) throws IOException {
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != expectedStatus) {
                throw new IOException(
                        request.method()
                                + " "
                                + request.uri().getPath()
                                + " answered "
                                + response.statusCode()
                                + ": "
                                + response.body());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
