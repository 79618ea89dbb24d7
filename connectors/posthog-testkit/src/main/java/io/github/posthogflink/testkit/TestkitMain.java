package io.github.posthogflink.testkit;

import io.github.posthogflink.testkit.http.HttpTransport;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the testkit standalone: {@code java -jar posthog-testkit.jar --port 8010 --project-api-key
 * phc_... --personal-api-key phx_...}; {@code --help} lists every option. Needs no JUnit on the
 * class path.
 */
public final class TestkitMain {
    static final String USAGE =
            String.join(
                    "\n",
                    "Usage: java -jar posthog-testkit.jar [options]",
                    "  --host ADDRESS           address to bind (default 127.0.0.1, loopback only;"
                            + " 0.0.0.0 for every interface)",
                    "  --port PORT              port (default 8010; 0 picks a free one)",
                    "  --project-api-key KEY    the project key capture and /flags take",
                    "  --personal-api-key KEY   the personal key the private API takes",
                    "  --secure-flags-key KEY   the key the flag definitions endpoints also take",
                    "  --project-id ID          the project id (default 1)",
                    "  --rate-limits            apply PostHog's private-API throttles",
                    "  --group-type INDEX=NAME  a group type, e.g. 0=company (repeatable)",
                    "  --fixtures FILE          flags, persons, cohorts and groups to load at start"
                            + " (JSON, see the testkit README)",
                    "  --max-body-bytes N       largest request body as sent (default 20 MiB;"
                            + " larger gets 413)",
                    "  --worker-threads N       requests handled at once (default 16)",
                    "  --journal-max-bytes N    bytes of recorded requests kept (default 64 MiB)",
                    "  --personal-api-key-scopes S  the personal key's scopes, e.g."
                            + " query:read,person:read (default *)",
                    "  --help                   this text");

    /** A parsed command line. */
    record Command(TestkitConfig config, Path fixtures, boolean help) {}

    private TestkitMain() {}

    public static void main(String[] args) throws InterruptedException {
        Command command;
        try {
            command = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (command.help()) {
            System.out.println(USAGE);
            return;
        }
        TestkitServer server = new TestkitServer(command.config(), true);
        server.start();
        if (command.fixtures() != null) {
            try {
                TestkitFixtures.load(command.fixtures(), new TestkitSeeds(server.components));
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                server.close();
                System.exit(2);
                return;
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    server.close();
                                    stopped.countDown();
                                }));
        System.out.println("PostHog testkit listening on " + server.transport().baseUrl());
        stopped.await();
    }

    static Command parse(String[] args) {
        String host = TestkitConfig.DEFAULT_HOST;
        int port = 8010;
        String projectApiKey = TestkitConfig.DEFAULT_PROJECT_API_KEY;
        String personalApiKey = TestkitConfig.DEFAULT_PERSONAL_API_KEY;
        String secureFlagsKey = TestkitConfig.DEFAULT_SECURE_FLAGS_KEY;
        long projectId = 1;
        boolean rateLimits = false;
        boolean help = false;
        Path fixtures = null;
        int maxBodyBytes = HttpTransport.DEFAULT_MAX_BODY_BYTES;
        int workerThreads = HttpTransport.DEFAULT_WORKER_THREADS;
        long journalMaxBytes = TestkitConfig.DEFAULT_JOURNAL_MAX_BYTES;
        List<String> scopes = List.of("*");
        Map<Integer, String> groupTypes = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> help = true;
                case "--rate-limits" -> rateLimits = true;
                case "--host", "--bind" -> host = value(args, ++i, arg);
                case "--port" -> port = Integer.parseInt(value(args, ++i, arg));
                case "--project-api-key" -> projectApiKey = value(args, ++i, arg);
                case "--personal-api-key" -> personalApiKey = value(args, ++i, arg);
                case "--secure-flags-key" -> secureFlagsKey = value(args, ++i, arg);
                case "--project-id" -> projectId = Long.parseLong(value(args, ++i, arg));
                case "--fixtures" -> fixtures = Path.of(value(args, ++i, arg));
                case "--max-body-bytes" -> maxBodyBytes = Integer.parseInt(value(args, ++i, arg));
                case "--worker-threads" -> workerThreads = Integer.parseInt(value(args, ++i, arg));
                case "--journal-max-bytes" ->
                        journalMaxBytes = Long.parseLong(value(args, ++i, arg));
                case "--personal-api-key-scopes" ->
                        scopes = List.of(value(args, ++i, arg).split(","));
                case "--group-type" -> {
                    String[] parts = value(args, ++i, arg).split("=", 2);
                    if (parts.length != 2) {
                        throw new IllegalArgumentException("--group-type takes INDEX=NAME");
                    }
                    groupTypes.put(Integer.parseInt(parts[0]), parts[1]);
                }
                default -> throw new IllegalArgumentException("Unknown option: " + arg);
            }
        }
        TestkitConfig config =
                new TestkitConfig(
                        host,
                        port,
                        projectApiKey,
                        personalApiKey,
                        scopes,
                        secureFlagsKey,
                        projectId,
                        Clock.systemUTC(),
                        rateLimits,
                        Map.copyOf(groupTypes),
                        TestkitServer.defaultQueryExecutor(),
                        TestkitConfig.DEFAULT_JOURNAL_CAPACITY,
                        journalMaxBytes,
                        maxBodyBytes,
                        workerThreads);
        return new Command(config, fixtures, help);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
