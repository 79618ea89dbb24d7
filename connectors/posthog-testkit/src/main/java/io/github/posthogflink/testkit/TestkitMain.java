package io.github.posthogflink.testkit;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the testkit standalone: {@code java -jar posthog-testkit.jar --port 8010 --project-api-key
 * phc_... --personal-api-key phx_...}. Other options: {@code --host}, {@code --secure-flags-key},
 * {@code --project-id}, {@code --rate-limits}, {@code --group-type 0=company} (repeatable), {@code
 * --personal-api-key-scopes query:read,person:read} (default {@code *}). Needs no JUnit on the
 * class path.
 */
public final class TestkitMain {
    static final String USAGE =
            "Usage: java -jar posthog-testkit.jar [--host 127.0.0.1] [--port 8010]"
                    + " [--project-api-key phc_...] [--personal-api-key phx_...]"
                    + " [--secure-flags-key phs_...] [--project-id 1] [--rate-limits]"
                    + " [--group-type 0=company] [--personal-api-key-scopes '*']";

    private TestkitMain() {}

    public static void main(String[] args) throws InterruptedException {
        TestkitConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        TestkitServer server = new TestkitServer(config, true);
        server.start();
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

    static TestkitConfig parse(String[] args) {
        String host = TestkitConfig.DEFAULT_HOST;
        int port = 8010;
        String projectApiKey = TestkitConfig.DEFAULT_PROJECT_API_KEY;
        String personalApiKey = TestkitConfig.DEFAULT_PERSONAL_API_KEY;
        String secureFlagsKey = TestkitConfig.DEFAULT_SECURE_FLAGS_KEY;
        long projectId = 1;
        boolean rateLimits = false;
        List<String> scopes = List.of("*");
        Map<Integer, String> groupTypes = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--rate-limits" -> rateLimits = true;
                case "--host", "--bind" -> host = value(args, ++i, arg);
                case "--port" -> port = Integer.parseInt(value(args, ++i, arg));
                case "--project-api-key" -> projectApiKey = value(args, ++i, arg);
                case "--personal-api-key" -> personalApiKey = value(args, ++i, arg);
                case "--secure-flags-key" -> secureFlagsKey = value(args, ++i, arg);
                case "--project-id" -> projectId = Long.parseLong(value(args, ++i, arg));
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
        return new TestkitConfig(
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
                TestkitConfig.DEFAULT_JOURNAL_CAPACITY);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
