package io.github.posthogflink.connector.enrich.flags;

import io.github.posthogflink.client.PostHogClient;
import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.PostHogCredentials;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * A JVM-wide (in Flink: per TaskManager and job class loader) registry of one PostHog client and
 * one definitions poller per host, project key, personal key, settings and parallelism. Subtasks
 * {@link #acquire} a lease in {@code open} and close it in {@code close}; the last lease closes the
 * poller and the client. An entry is shared only by leases that would have built the same client
 * and poller: another operator with other settings (retries, timeouts, connections, poll interval)
 * or another parallelism gets an entry of its own, so the first operator to open never decides for
 * the others, and each entry's definitions budget is split by its own operator's parallelism.
 */
final class SharedFlagResources {
    private static final Logger LOG = LoggerFactory.getLogger(SharedFlagResources.class);
    private static final Map<String, Entry> ENTRIES = new HashMap<>();

    private SharedFlagResources() {}

    /**
     * A lease on the shared client (and poller) for these options. {@code parallelism} splits the
     * definitions budget (600/min) so that all subtasks together stay within it.
     */
    static Lease acquire(FlagEnrichmentOptions options, int parallelism) {
        // Keys from the environment or a file are read here, on the TaskManager.
        PostHogClientConfig resolved =
                options.client().resolveCredentials(PostHogCredentials.Key.PROJECT_API_KEY);
        String key = keyOf(resolved, options, parallelism);
        synchronized (ENTRIES) {
            Entry entry = ENTRIES.get(key);
            if (entry == null) {
                entry =
                        new Entry(
                                key,
                                PostHogClient.create(clientConfig(resolved, options, parallelism)));
                ENTRIES.put(key, entry);
            }
            entry.references++;
            return new Lease(entry);
        }
    }

    /** How many registry entries are open (for tests). */
    static int openEntries() {
        synchronized (ENTRIES) {
            return ENTRIES.size();
        }
    }

    private static PostHogClientConfig clientConfig(
            PostHogClientConfig base, FlagEnrichmentOptions options, int parallelism) {
        PostHogClientConfig.Builder builder =
                base.toBuilder().rateLimitPolicy(base.rateLimitPolicy().splitAcross(parallelism));
        if (options.remoteMaxRetries() != null) {
            builder.retryPolicy(base.retryPolicy().withMaxRetries(options.remoteMaxRetries()));
        }
        return builder.build();
    }

    /**
     * The registry key: host and hashed keys, then a hash of everything else the entry is built
     * from (the effective client config, whose text masks the keys, and the poll interval).
     */
    static String keyOf(FlagEnrichmentOptions options, int parallelism) {
        return keyOf(options.client(), options, parallelism);
    }

    private static String keyOf(
            PostHogClientConfig config, FlagEnrichmentOptions options, int parallelism) {
        String definitionsKey =
                config.flagsSecureKey() != null ? config.flagsSecureKey() : config.personalApiKey();
        String settings =
                clientConfig(config, options, parallelism) + "|poll=" + options.pollInterval();
        return config.host()
                + "|"
                + hash(config.projectApiKey())
                + "|"
                + hash(definitionsKey)
                + "|"
                + hash(settings);
    }

    private static String hash(@Nullable String secret) {
        if (secret == null) {
            return "-";
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] sum = digest.digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sum, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Entry {
        private final String key;
        private final PostHogClient client;
        private final AsyncPermits remoteCalls;
        @Nullable private FlagDefinitionsPoller poller;
        private int references;

        private Entry(String key, PostHogClient client) {
            this.key = key;
            this.client = client;
            // One connection stays free for definitions polls.
            this.remoteCalls =
                    new AsyncPermits(
                            Math.max(1, client.config().maxConnections() - 1),
                            client.config().maxQueuedRequests());
        }
    }

    /** One subtask's hold on the shared resources. Close it once. */
    static final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        PostHogClient client() {
            return entry.client;
        }

        /** Bounds the {@code /flags} calls of all subtasks to the client's connection pool. */
        AsyncPermits remoteCalls() {
            return entry.remoteCalls;
        }

        /** The shared poller, started by the first caller. */
        FlagDefinitionsPoller definitions(Duration pollInterval) {
            synchronized (ENTRIES) {
                if (entry.poller == null) {
                    PostHogClient client = entry.client;
                    entry.poller =
                            new FlagDefinitionsPoller(
                                            etag -> client.flags().definitions(etag),
                                            pollInterval,
                                            System::nanoTime)
                                    .start();
                }
                return entry.poller;
            }
        }

        @Override
        public void close() {
            Entry toClose = null;
            synchronized (ENTRIES) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--entry.references == 0) {
                    ENTRIES.remove(entry.key);
                    toClose = entry;
                }
            }
            if (toClose != null) {
                LOG.debug("Closing shared PostHog flag resources");
                if (toClose.poller != null) {
                    toClose.poller.close();
                }
                toClose.client.close();
            }
        }
    }
}
