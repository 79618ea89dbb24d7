package io.github.posthogflink.jobs.preflight;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.PostHogException;
import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.client.api.PersonalApiKey;
import io.github.posthogflink.client.api.ProjectsApi.Project;
import io.github.posthogflink.client.flags.FlagsRequest;
import io.github.posthogflink.client.http.HttpTransport;
import io.github.posthogflink.client.query.HogQLQuery;
import io.github.posthogflink.client.query.QueryResponse;
import io.github.posthogflink.jobs.cli.PipelineOptions;
import io.github.posthogflink.jobs.failure.PipelineFailure;
import io.github.posthogflink.jobs.failure.PostHogFailures;

import javax.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks, before the job is built, what would otherwise fail it minutes later: the ingestion host
 * answers and accepts the project key; the personal key reads {@code --project-id} and has the
 * scopes the enrichments need; the HogQL join runs, fits in one answer and has its join column.
 * Each failure is a {@link PipelineFailure} that says what to fix. Costs a few requests: one {@code
 * /flags} call that evaluates no flag, {@code GET /api/projects/:id/}, and one run of the join
 * query.
 */
public final class Preflight {
    /** Short timeouts and one retry: the checks take seconds, not the sink's ten minutes. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** The distinct id of the {@code /flags} call, and a flag key that exists nowhere. */
    static final String DISTINCT_ID = "posthog-pipeline-preflight";

    static final String NO_FLAG = "$posthog-pipeline-preflight";

    private final PipelineOptions options;
    private final PostHogClient client;
    private final List<String> passed = new ArrayList<>();

    private Preflight(PipelineOptions options, PostHogClient client) {
        this.options = options;
        this.client = client;
    }

    /**
     * Runs every check that applies to the options.
     *
     * @return one line that sums up what was checked
     * @throws PipelineFailure for the first check that fails
     */
    public static String run(PipelineOptions options) {
        long start = System.nanoTime();
        try (PostHogClient client = PostHogClient.create(config(options))) {
            Preflight preflight = new Preflight(options, client);
            preflight.ingestion();
            preflight.project();
            preflight.scopes();
            preflight.hogqlJoin();
            long millis = (System.nanoTime() - start) / 1_000_000;
            return "preflight ("
                    + millis
                    + " ms): "
                    + (preflight.passed.isEmpty()
                            ? "nothing to check"
                            : String.join("; ", preflight.passed));
        }
    }

    static PostHogClientConfig config(PipelineOptions options) {
        PostHogClientConfig.Builder builder =
                PostHogClientConfig.builder()
                        .host(options.posthogHost())
                        .apiHost(options.posthogApiHost())
                        .projectApiKey(options.projectApiKey())
                        .personalApiKey(options.personalApiKey())
                        .connectTimeout(CONNECT_TIMEOUT)
                        .requestTimeout(REQUEST_TIMEOUT)
                        .retryPolicy(
                                RetryPolicy.DEFAULT
                                        .withMaxRetries(1)
                                        .withBackoff(
                                                Duration.ofMillis(200), Duration.ofSeconds(1)));
        if (options.projectId() != null) {
            builder.projectId(options.projectId());
        }
        return builder.build();
    }

    /** The ingestion host answers {@code /flags} and takes the project key. */
    private void ingestion() {
        boolean needsProjectKey =
                options.sinkToPostHog() || options.flags() != PipelineOptions.FlagMode.OFF;
        if (!needsProjectKey || options.projectApiKey() == null) {
            return;
        }
        String host = HttpTransport.target(options.posthogHost());
        try {
            PostHogClient.await(
                    client.flags()
                            .evaluate(FlagsRequest.of(DISTINCT_ID).withFlagKeys(List.of(NO_FLAG))));
        } catch (PostHogException e) {
            if (PostHogFailures.INVALID_RESPONSE.equals(e.code())) {
                throw notPostHog(host, "an answer that is not PostHog's JSON", e);
            }
            if (e.status() == 404 || e.status() == 405) {
                throw notPostHog(host, "HTTP " + e.status(), e);
            }
            throw PostHogFailures.explain(e);
        }
        passed.add("PostHog at " + host + " accepts the project key");
    }

    private static PipelineFailure notPostHog(String host, String answer, Exception cause) {
        return PipelineFailure.configuration(
                host
                        + " answered POST /flags/ with "
                        + answer
                        + ": it is not a PostHog ingestion host",
                "check --posthog-host, e.g. https://eu.i.posthog.com or https://us.i.posthog.com",
                cause);
    }

    /** The personal key reads {@code --project-id}, whose key is the project key given. */
    private void project() {
        if (!needsPersonalKey()) {
            return;
        }
        Project project;
        try {
            project = PostHogClient.await(client.projects().current());
        } catch (PostHogException e) {
            if (e.status() == 403 && String.valueOf(e.detail()).contains("project:read")) {
                passed.add(
                        "the personal key is valid (project "
                                + options.projectId()
                                + " not read: the key has no project:read scope)");
                return;
            }
            throw PostHogFailures.explain(e);
        }
        String key = options.projectApiKey();
        if (key != null && project.apiToken() != null && !sameKey(key, project.apiToken())) {
            throw PipelineFailure.configuration(
                    "the project API key is not the key of project "
                            + project.id()
                            + " ("
                            + project.name()
                            + "): events would go to another project than the one enriched from",
                    "use project "
                            + project.id()
                            + "'s key (Project settings > Project API key) or the --project-id of"
                            + " the key",
                    null);
        }
        passed.add("the personal key reads project " + project.id() + " (" + project.name() + ")");
    }

    /** The personal key has the scopes the enrichments need and may reach the project. */
    private void scopes() {
        if (!needsPersonalKey()) {
            return;
        }
        Optional<PersonalApiKey> key = personalKey();
        if (key.isEmpty()) {
            return;
        }
        Map<String, String> required = RequiredScopes.of(options);
        List<String> missing = key.get().missing(List.copyOf(required.keySet()));
        if (!missing.isEmpty()) {
            List<String> needs =
                    missing.stream().map(s -> s + " (" + required.get(s) + ")").toList();
            throw PipelineFailure.configuration(
                    "the personal API key lacks the scope"
                            + (missing.size() > 1 ? "s " : " ")
                            + String.join(", ", needs),
                    "add them to the key in PostHog (Settings > Personal API keys), or turn those"
                            + " enrichments off",
                    null);
        }
        Long projectId = numeric(options.projectId());
        if (projectId != null && !key.get().allowsProject(projectId)) {
            throw PipelineFailure.configuration(
                    "the personal API key is limited to the projects "
                            + key.get().scopedTeams()
                            + ", not to project "
                            + projectId,
                    "add project " + projectId + " to the key's projects, or fix --project-id",
                    null);
        }
        passed.add("the personal key has the scopes " + String.join(", ", required.keySet()));
    }

    /**
     * The personal key's scopes and projects, as {@code GET /api/personal_api_keys/@current/}
     * answers them (PostHog lets every key read itself: {@code PersonalApiKeySelfAccessPermission}
     * in {@code posthog/api/personal_api_key.py}). Empty when this PostHog has no such call (404)
     * or refuses it (403): the scope check is then skipped, and a missing scope fails the job on
     * its first 403.
     */
    Optional<PersonalApiKey> personalKey() {
        try {
            return Optional.of(PostHogClient.await(client.personalApiKeys().current()));
        } catch (PostHogException e) {
            if (e.status() == 403 || e.status() == 404) {
                return Optional.empty();
            }
            throw PostHogFailures.explain(e);
        }
    }

    /** The join query runs, its result fits in one answer, and it has the join column. */
    private void hogqlJoin() {
        String query = options.hogqlJoin();
        if (query == null) {
            return;
        }
        QueryResponse result;
        try {
            result =
                    PostHogClient.await(
                            client.query()
                                    .query(HogQLQuery.hogql(query), "posthog-pipeline preflight"));
        } catch (PostHogException e) {
            if (e.status() == 400) {
                throw PipelineFailure.configuration(
                        "the --hogql-join query does not run: " + e.detail(),
                        "fix the query (HogQL: SQL over events, persons and sessions)",
                        e);
            }
            throw PostHogFailures.explain(e);
        }
        String keyColumn = options.hogqlJoinKey();
        if (!result.columns().contains(keyColumn)) {
            throw PipelineFailure.configuration(
                    "--hogql-join-key "
                            + keyColumn
                            + " is not a column of the --hogql-join query, whose columns are "
                            + result.columns(),
                    "select the distinct id AS "
                            + keyColumn
                            + ", or name its column with --hogql-join-key",
                    null);
        }
        passed.add("the HogQL join runs (" + result.results().size() + " rows)");
    }

    private boolean needsPersonalKey() {
        return options.personalApiKey() != null
                && options.projectId() != null
                && !RequiredScopes.of(options).isEmpty();
    }

    @Nullable
    private static Long numeric(String id) {
        try {
            return Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Compares keys in constant time. */
    private static boolean sameKey(String a, String b) {
        return MessageDigest.isEqual(
                a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
