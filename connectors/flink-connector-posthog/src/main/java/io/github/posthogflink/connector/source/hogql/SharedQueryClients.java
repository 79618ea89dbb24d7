package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.PostHogCredentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * One {@link PostHogClient} per API host, project, personal key and rate-limit policy in this JVM,
 * reference counted. The client's limiter holds the query budget, so every HogQL source of a job
 * that runs in this JVM draws on the same budget.
 */
final class SharedQueryClients {
    private static final Map<String, Entry> CLIENTS = new HashMap<>();

    private static final class Entry {
        final PostHogClient client;
        int references;

        Entry(PostHogClient client) {
            this.client = client;
        }
    }

    /** A borrowed client; close it to give it back. */
    static final class Lease implements AutoCloseable {
        private final String key;
        private final PostHogClient client;
        private boolean closed;

        private Lease(String key, PostHogClient client) {
            this.key = key;
            this.client = client;
        }

        PostHogClient client() {
            return client;
        }

        @Override
        public void close() {
            synchronized (CLIENTS) {
                if (closed) {
                    return;
                }
                closed = true;
                Entry entry = CLIENTS.get(key);
                if (entry != null && --entry.references == 0) {
                    CLIENTS.remove(key);
                    entry.client.close();
                }
            }
        }
    }

    private SharedQueryClients() {}

    static Lease acquire(PostHogClientConfig options) {
        PostHogClientConfig config = resolved(options);
        return acquire(config, keyOf(config));
    }

    /**
     * The client of one subtask of a parallel (sliced) read, with {@code 1/parallelism} of the
     * config's budget share: however the subtasks spread over TaskManagers, together they use the
     * share, never more (a JVM-wide client would give each TaskManager the whole share).
     */
    static Lease forSubtask(PostHogClientConfig options, int subtask, int parallelism) {
        PostHogClientConfig config = resolved(options);
        PostHogClientConfig part =
                config.toBuilder()
                        .rateLimitPolicy(config.rateLimitPolicy().splitAcross(parallelism))
                        .build();
        return acquire(part, keyOf(part) + "|subtask-" + subtask + "/" + parallelism);
    }

    /** Keys from the environment or a file are read here, on the TaskManager. */
    private static PostHogClientConfig resolved(PostHogClientConfig options) {
        return options.resolveCredentials(PostHogCredentials.Key.PERSONAL_API_KEY);
    }

    private static Lease acquire(PostHogClientConfig config, String key) {
        synchronized (CLIENTS) {
            Entry entry =
                    CLIENTS.computeIfAbsent(key, k -> new Entry(PostHogClient.create(config)));
            entry.references++;
            return new Lease(key, entry.client);
        }
    }

    /** How many distinct shared clients are open (for tests). */
    static int openClients() {
        synchronized (CLIENTS) {
            return CLIENTS.size();
        }
    }

    private static String keyOf(PostHogClientConfig config) {
        return config.apiHost()
                + '|'
                + config.projectId()
                + '|'
                + fingerprint(config.personalApiKey())
                + '|'
                + config.rateLimitPolicy()
                + '|'
                + config.retryPolicy()
                + '|'
                + config.requestTimeout();
    }

    private static String fingerprint(String secret) {
        if (secret == null) {
            return "-";
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
