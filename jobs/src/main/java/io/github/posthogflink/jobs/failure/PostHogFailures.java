package io.github.posthogflink.jobs.failure;

import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.jobs.cli.PipelineCli;

import java.util.Locale;

/**
 * What a failed PostHog call means for the person running the pipeline: which setting to fix (a
 * key, the project id, a scope, the query) or that PostHog cannot be reached, with the call's
 * endpoint and PostHog's own detail. Used by the preflight and for a job that failed on PostHog.
 */
public final class PostHogFailures {
    static final String PROJECT_KEY_HINT =
            "set "
                    + PipelineCli.PROJECT_API_KEY_ENV
                    + " to the project's API key, phc_..., from PostHog's Project settings";
    static final String PERSONAL_KEY_HINT =
            "set "
                    + PipelineCli.PERSONAL_API_KEY_ENV
                    + " to a personal API key, phx_..., of this PostHog (Settings > Personal API"
                    + " keys)";

    /** The client's code for a 2xx whose body is not the JSON PostHog answers. */
    public static final String INVALID_RESPONSE = "invalid_response";

    private PostHogFailures() {}

    /** The failure for a PostHog call that failed. */
    public static PipelineFailure explain(PostHogException e) {
        String endpoint = e.endpoint();
        boolean privateApi = path(endpoint).startsWith("/api/");
        int status = e.status();
        if (status == 0) {
            String what = e.target() != null ? e.detail() : e.getMessage();
            return privateApi
                    ? PipelineFailure.unreachable(
                            "cannot reach PostHog's API host: " + what,
                            "check --posthog-api-host (default: derived from --posthog-host) and"
                                    + " the network",
                            e)
                    : PipelineFailure.unreachable(
                            "cannot reach PostHog: " + what,
                            "check --posthog-host and the network",
                            e);
        }
        String answer = answer(e);
        if (INVALID_RESPONSE.equals(e.code())) {
            return PipelineFailure.configuration(
                    "the answer to " + e.endpoint() + " is not PostHog's: " + e.detail(),
                    "check --posthog-host and --posthog-api-host: they must point at PostHog",
                    e);
        }
        if (status == 401) {
            return privateApi
                    ? PipelineFailure.configuration(
                            "PostHog refused the personal API key: " + answer, PERSONAL_KEY_HINT, e)
                    : PipelineFailure.configuration(
                            "PostHog refused the project API key: " + answer, PROJECT_KEY_HINT, e);
        }
        if (status == 403) {
            return PipelineFailure.configuration(
                    "PostHog denied the personal API key: " + answer,
                    "give the key the scope it names and access to --project-id (PostHog:"
                            + " Settings > Personal API keys), or turn that enrichment off",
                    e);
        }
        if (status == 404 && path(endpoint).startsWith("/api/projects/")) {
            return PipelineFailure.configuration(
                    "PostHog has no such project for this personal API key: " + answer,
                    "check --project-id (PostHog: Project settings > Project ID) and"
                            + " --posthog-api-host",
                    e);
        }
        if (status == 400 && path(endpoint).endsWith("/query/")) {
            return PipelineFailure.configuration(
                    "PostHog refused the HogQL query: " + answer, "fix --hogql-join", e);
        }
        if (PostHogException.isRetryableStatus(status)) {
            return PipelineFailure.unreachable(
                    "PostHog is unavailable: " + answer,
                    "it answers errors or rate-limits this key; try again later, or give the sink"
                            + " longer with --delivery-timeout",
                    e);
        }
        return PipelineFailure.jobFailed(
                "a PostHog call failed: " + answer, "run with --verbose for the stack trace", e);
    }

    /** {@code HTTP 401 on GET /api/projects/1/: <detail>}. */
    private static String answer(PostHogException e) {
        String detail = e.detail() == null ? "" : e.detail().trim();
        return "HTTP "
                + e.status()
                + " on "
                + e.endpoint()
                + (detail.isEmpty() ? "" : ": " + oneLine(e.detail()));
    }

    private static String path(String endpoint) {
        int space = endpoint.indexOf(' ');
        return (space < 0 ? endpoint : endpoint.substring(space + 1)).toLowerCase(Locale.ROOT);
    }

    /** At most 300 characters on one line. */
    static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() <= 300 ? line : line.substring(0, 297) + "...";
    }
}
