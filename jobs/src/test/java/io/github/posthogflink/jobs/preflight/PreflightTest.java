package io.github.posthogflink.jobs.preflight;

import io.github.posthogflink.jobs.EarlierEvents;
import io.github.posthogflink.jobs.cli.PipelineOptions;
import io.github.posthogflink.jobs.failure.ExitCode;
import io.github.posthogflink.jobs.failure.PipelineFailure;
import io.github.posthogflink.testkit.PostHogServer;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The preflight against the testkit over loopback: what passes, and for each wrong setting the one
 * line that says what to fix, with its exit code. Keys never appear in a line.
 */
@Timeout(120)
class PreflightTest {
    /** 150 users with earlier events: a join on them has more rows than PostHog's default 100. */
    private static final int USERS = 150;

    private static PostHogServer posthog;

    @BeforeAll
    static void start() throws Exception {
        posthog = PostHogServer.builder().build().start();
        EarlierEvents.capture(posthog, USERS);
    }

    @AfterAll
    static void stop() {
        posthog.close();
    }

    @Test
    void everyCheckPassesAgainstAWellConfiguredPostHog() {
        String line =
                Preflight.run(
                        options(
                                Map.of(),
                                "--hogql-join",
                                "SELECT distinct_id, count() AS n FROM events GROUP BY"
                                        + " distinct_id LIMIT 1000"));

        assertThat(line)
                .startsWith("preflight (")
                .contains("PostHog at 127.0.0.1:" + posthog.port() + " accepts the project key")
                .contains("the personal key reads project " + posthog.projectId() + " (")
                .contains("the HogQL join runs (" + USERS + " rows)");
    }

    @Test
    void aWrongProjectKeyIsRefusedByFlags() {
        PipelineFailure failure = fail(Map.of("POSTHOG_PROJECT_API_KEY", "phc_wrong_key_123"));

        assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(failure.line())
                .startsWith("error: PostHog refused the project API key: HTTP 401 on POST /flags/")
                .contains("(set POSTHOG_PROJECT_API_KEY")
                .doesNotContain("phc_wrong_key_123");
    }

    @Test
    void aWrongPersonalKeyIsRefusedByTheProject() {
        PipelineFailure failure = fail(Map.of("POSTHOG_PERSONAL_API_KEY", "phx_wrong_key_456"));

        assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(failure.line())
                .startsWith(
                        "error: PostHog refused the personal API key: HTTP 401 on GET"
                                + " /api/projects/"
                                + posthog.projectId()
                                + "/")
                .contains("(set POSTHOG_PERSONAL_API_KEY")
                .doesNotContain("phx_wrong_key_456");
    }

    @Test
    void anotherProjectIdIsNotFound() {
        PipelineFailure failure = fail(Map.of(), "--project-id", "424242");

        assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(failure.line())
                .startsWith(
                        "error: PostHog has no such project for this personal API key: HTTP 404 on"
                                + " GET /api/projects/424242/")
                .contains("check --project-id");
    }

    @Test
    void aClosedPortIsUnreachableWithinSeconds() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();
        PipelineFailure failure = fail(Map.of(), "--posthog-host", "http://127.0.0.1:" + port);

        assertThat(failure.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(failure.line())
                .isEqualTo(
                        "error: cannot reach PostHog: connection refused by 127.0.0.1:"
                                + port
                                + " (check --posthog-host and the network)");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(10);
    }

    @Test
    void aHostThatAnswersHtmlIsNotPostHog() throws Exception {
        HttpServer html = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        html.createContext(
                "/",
                exchange -> {
                    byte[] page = "<html>Welcome</html>".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "text/html");
                    exchange.sendResponseHeaders(200, page.length);
                    exchange.getResponseBody().write(page);
                    exchange.close();
                });
        html.start();
        try {
            int port = html.getAddress().getPort();
            PipelineFailure failure =
                    fail(
                            Map.of(),
                            "--posthog-host",
                            "http://127.0.0.1:" + port,
                            "--posthog-api-host",
                            posthog.baseUrl());

            assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
            assertThat(failure.line())
                    .startsWith(
                            "error: 127.0.0.1:"
                                    + port
                                    + " answered POST /flags/ with an answer that is not PostHog's"
                                    + " JSON: it is not a PostHog ingestion host (check"
                                    + " --posthog-host");
        } finally {
            html.stop(0);
        }
    }

    @Test
    void aJoinQueryThatDoesNotCompileSaysWhy() {
        PipelineFailure failure = fail(Map.of(), "--hogql-join", "SELEC distinct_id FROM events");

        assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(failure.line())
                .startsWith("error: the --hogql-join query does not run: ")
                .endsWith("(fix the query (HogQL: SQL over events, persons and sessions))");
    }

    /** The job reads the join in pages by its key, so its size is no preflight failure. */
    @Test
    void aJoinOverMoreThanOneAnswerPassesForTheJobPagesIt() {
        assertThat(
                        fail(
                                Map.of(),
                                "--hogql-join",
                                "SELECT distinct_id, count() AS n FROM events GROUP BY"
                                        + " distinct_id"))
                .isNull();
    }

    @Test
    void aJoinWithoutItsKeyColumnNamesTheColumns() {
        PipelineFailure failure =
                fail(
                        Map.of(),
                        "--hogql-join",
                        "SELECT distinct_id AS user, count() AS n FROM events GROUP BY user"
                                + " LIMIT 1000");

        assertThat(failure.line())
                .startsWith(
                        "error: --hogql-join-key distinct_id is not a column of the --hogql-join"
                                + " query, whose columns are [user, n]");
    }

    private static final String JOIN =
            "SELECT distinct_id, count() AS n FROM events GROUP BY distinct_id LIMIT 1000";

    @Test
    void aKeyWithoutQueryReadFailsAHogQLJoinNamingTheScope() {
        posthog.seed()
                .personalApiKey(
                        "phx_preflight_no_query",
                        "project:read",
                        "person:read",
                        "feature_flag:read");

        PipelineFailure failure =
                fail(
                        Map.of("POSTHOG_PERSONAL_API_KEY", "phx_preflight_no_query"),
                        "--hogql-join",
                        JOIN);

        assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(failure.exitCode().code()).isEqualTo(3);
        assertThat(failure.line())
                .startsWith("error: the personal API key lacks the scope query:read (--hogql-join)")
                .doesNotContain("person:read")
                .doesNotContain("phx_preflight_no_query");
    }

    @Test
    void aKeyWithoutPersonReadFailsPersonsEnrichmentNamingTheScope() {
        posthog.seed()
                .personalApiKey(
                        "phx_preflight_no_persons",
                        "project:read",
                        "query:read",
                        "feature_flag:read");

        PipelineFailure failure =
                fail(
                        Map.of("POSTHOG_PERSONAL_API_KEY", "phx_preflight_no_persons"),
                        "--persons",
                        "on");

        assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(failure.line())
                .startsWith("error: the personal API key lacks the scope person:read (--persons)")
                .doesNotContain("phx_preflight_no_persons");
    }

    @Test
    void aWriteScopeImpliesReadAndAllScopesPass() {
        posthog.seed().personalApiKey("phx_preflight_all", "*");
        posthog.seed()
                .personalApiKey(
                        "phx_preflight_write",
                        "project:read",
                        "person:write",
                        "query:read",
                        "feature_flag:write");

        for (String key : List.of("phx_preflight_all", "phx_preflight_write")) {
            String line =
                    Preflight.run(
                            options(
                                    Map.of("POSTHOG_PERSONAL_API_KEY", key),
                                    "--persons",
                                    "on",
                                    "--hogql-join",
                                    JOIN));

            assertThat(line)
                    .as(key)
                    .contains(
                            "the personal key has the scopes person:read, query:read,"
                                    + " feature_flag:read");
        }
    }

    private static PipelineFailure fail(Map<String, String> env, String... args) {
        return catchThrowableOfType(() -> Preflight.run(options(env, args)), PipelineFailure.class);
    }

    /** The pipeline's options against the testkit, with every enrichment; {@code args} win. */
    private static PipelineOptions options(Map<String, String> env, String... args) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        values.put("--input", "in.ndjson");
        values.put("--posthog-host", posthog.baseUrl());
        values.put("--project-id", String.valueOf(posthog.projectId()));
        for (int i = 0; i < args.length; i += 2) {
            values.put(args[i], args[i + 1]);
        }
        List<String> all = new ArrayList<>();
        values.forEach(
                (k, v) -> {
                    all.add(k);
                    all.add(v);
                });
        Map<String, String> keys = new HashMap<>();
        keys.put("POSTHOG_PROJECT_API_KEY", posthog.projectApiKey());
        keys.put("POSTHOG_PERSONAL_API_KEY", posthog.personalApiKey());
        keys.putAll(env);
        return PipelineOptions.parse(all.toArray(String[]::new), keys);
    }
}
