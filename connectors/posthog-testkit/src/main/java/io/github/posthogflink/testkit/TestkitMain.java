package io.github.posthogflink.testkit;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the testkit standalone: {@code java -jar posthog-testkit.jar --port 8010 --project-api-key
 * phc_... --personal-api-key phx_...}. Other options: {@code --host}, {@code --secure-flags-key},
 * {@code --project-id}, {@code --rate-limits}, {@code --group-type 0=company} (repeatable).
 */
public final class TestkitMain {
    private TestkitMain() {}

    public static void main(String[] args) throws InterruptedException {
        PostHogTestServer server;
        try {
            server = parse(args).build();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(
                    "Usage: java -jar posthog-testkit.jar [--host 127.0.0.1] [--port 8010]"
                            + " [--project-api-key phc_...] [--personal-api-key phx_...]"
                            + " [--secure-flags-key phs_...] [--project-id 1] [--rate-limits]"
                            + " [--group-type 0=company]");
            System.exit(2);
            return;
        }
        server.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    server.close();
                                    stopped.countDown();
                                }));
        System.out.println("PostHog testkit listening on " + server.baseUrl());
        stopped.await();
    }

    static PostHogTestServer.Builder parse(String[] args) {
        PostHogTestServer.Builder builder = PostHogTestServer.builder().port(8010);
        Map<Integer, String> groupTypes = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--rate-limits" -> builder.rateLimits(true);
                case "--host", "--bind" -> builder.host(value(args, ++i, arg));
                case "--port" -> builder.port(Integer.parseInt(value(args, ++i, arg)));
                case "--project-api-key" -> builder.projectApiKey(value(args, ++i, arg));
                case "--personal-api-key" -> builder.personalApiKey(value(args, ++i, arg));
                case "--secure-flags-key" -> builder.secureFlagsKey(value(args, ++i, arg));
                case "--project-id" -> builder.projectId(Long.parseLong(value(args, ++i, arg)));
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
        return builder.groupTypeMapping(groupTypes);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
