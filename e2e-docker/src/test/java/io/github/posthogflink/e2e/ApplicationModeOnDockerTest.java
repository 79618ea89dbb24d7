package io.github.posthogflink.e2e;

import io.github.posthogflink.e2e.CaptureEvents.Event;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The job image in application mode, as the Kubernetes operator runs it: {@code standalone-job}
 * starts the pipeline from {@code /opt/flink/usrlib/posthog-pipeline.jar} with its arguments, no
 * submission; the TaskManagers join it.
 */
@Testcontainers(disabledWithoutDocker = true)
class ApplicationModeOnDockerTest {

    private static final String TOPIC = "events-application";

    @Test
    void standaloneJobRunsThePipelineFromUsrlib() throws Exception {
        List<Event> events = CaptureEvents.generate("e2e application", 500, 31);
        try (DockerFlinkStack stack =
                DockerFlinkStack.start(
                        1,
                        2,
                        s -> CaptureEvents.createTopic(s.kafkaBootstrap(), TOPIC),
                        s ->
                                List.of(
                                        "standalone-job",
                                        "--job-classname",
                                        "io.github.posthogflink.jobs.PipelineMain",
                                        "--kafka-bootstrap-servers",
                                        s.kafkaBootstrap(),
                                        "--kafka-topic",
                                        TOPIC,
                                        "--posthog-host",
                                        s.posthogHost(),
                                        "--project-id",
                                        DockerFlinkStack.PROJECT_ID,
                                        "--parallelism",
                                        "2"))) {
            await("the application's job running")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(
                            () -> {
                                JsonNode jobs = stack.rest().jobs();
                                return jobs.size() == 1
                                        && stack.rest()
                                                .allTasksRunning(jobs.get(0).get("id").asText());
                            });
            CaptureEvents.produce(stack.kafkaBootstrap(), TOPIC, events);
            await("events in the testkit")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .until(
                            () ->
                                    stack.testkit().dedupedEvents("e2e application").size()
                                            >= events.size());
            assertThat(
                            stack.testkit().dedupedEvents("e2e application").stream()
                                    .map(e -> e.get("uuid").asText())
                                    .toList())
                    .containsExactlyInAnyOrderElementsOf(
                            events.stream().map(e -> e.uuid().toString()).toList());
        }
    }
}
