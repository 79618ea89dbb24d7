package io.github.posthogflink.jobs.failure;

import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.connector.sink.PostHogSinkException;

import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.JobException;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.util.SerializedThrowable;

import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a failed job's exception becomes for the user: one line and an exit code, whatever Flink
 * wrapped around the cause.
 */
class FailureExplainerTest {

    @Test
    void aRefusedPersonalKeyInsideFlinksWrappersIsAConfigurationError() {
        PostHogException refused =
                new PostHogException(
                        401,
                        "POST /api/projects/7/persons/batch_by_distinct_ids/",
                        "authentication_error",
                        "authentication_failed",
                        "Personal API key found in request Authorization header is invalid.",
                        null,
                        false,
                        null,
                        null);
        PipelineFailure failure = FailureExplainer.explain(flinkFailure(asyncFailure(refused)));

        assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(failure.line())
                .isEqualTo(
                        "error: PostHog refused the personal API key: HTTP 401 on POST"
                                + " /api/projects/7/persons/batch_by_distinct_ids/: Personal API"
                                + " key found in request Authorization header is invalid. ("
                                + PostHogFailures.PERSONAL_KEY_HINT
                                + ")");
    }

    @Test
    void aSinkThatGaveUpOnARefusedConnectionIsUnreachable() {
        PostHogException refused =
                PostHogException.noResponse(
                        "POST /batch/",
                        "127.0.0.1:1",
                        new ConnectException("Connection refused: /127.0.0.1:1"));
        PostHogSinkException gaveUp =
                new PostHogSinkException("PostHog capture of 3 events kept failing", refused);

        PipelineFailure failure = FailureExplainer.explain(flinkFailure(gaveUp));

        assertThat(failure.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(failure.line())
                .isEqualTo(
                        "error: cannot reach PostHog: connection refused by 127.0.0.1:1 (check"
                                + " --posthog-host and the network)");
    }

    @Test
    void aCaptureRefusalOfTheProjectKeyNamesTheProjectKey() {
        PostHogException refused =
                new PostHogException(
                        401, "POST /batch/", null, null, "invalid token", null, false, null, null);

        PipelineFailure failure = FailureExplainer.explain(refused);

        assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(failure.line())
                .contains("refused the project API key", "POSTHOG_PROJECT_API_KEY");
    }

    @Test
    void anythingElseIsAJobFailureWithItsInnermostCauseOnOneLine() {
        FileNotFoundException missing =
                new FileNotFoundException("File /data/in.ndjson does not exist\nor is unreadable");

        PipelineFailure failure = FailureExplainer.explain(flinkFailure(missing));

        assertThat(failure.exitCode()).isEqualTo(ExitCode.JOB_FAILED);
        assertThat(failure.line())
                .isEqualTo(
                        "error: the job failed: File /data/in.ndjson does not exist or is"
                                + " unreadable [FileNotFoundException] (run with --verbose for"
                                + " the stack trace)");
    }

    @Test
    void aSerializedCauseIsReadBack() {
        PostHogException refused =
                new PostHogException(
                        403,
                        "POST /api/projects/7/query/",
                        "authentication_error",
                        "permission_denied",
                        "API key missing required scope 'query:read'",
                        null,
                        false,
                        null,
                        null);

        PipelineFailure failure =
                FailureExplainer.explain(
                        flinkFailure(new SerializedThrowable(asyncFailure(refused))));

        assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(failure.line()).contains("missing required scope 'query:read'");
    }

    private static Exception asyncFailure(Throwable cause) {
        return new Exception(
                "Could not complete the stream element: Record @ 0 : PipelineEvent[uuid=u,"
                        + " distinctId=d].",
                cause);
    }

    private static JobExecutionException flinkFailure(Throwable cause) {
        return new JobExecutionException(
                new JobID(),
                "Job execution failed.",
                new JobException("Recovery is suppressed by NoRestartBackoffTimeStrategy", cause));
    }
}
