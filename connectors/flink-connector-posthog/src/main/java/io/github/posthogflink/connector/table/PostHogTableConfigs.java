package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.PostHogCredentials;
import io.github.posthogflink.client.PostHogHosts;
import io.github.posthogflink.client.PostHogProxy;
import io.github.posthogflink.client.RetryPolicy;
import io.github.posthogflink.connector.table.PostHogAccessOptions.CredentialsProvider;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.connector.source.lookup.LookupOptions.LookupCacheType;
import org.apache.flink.table.connector.source.lookup.cache.DefaultLookupCache;
import org.apache.flink.table.connector.source.lookup.cache.LookupCache;

import javax.annotation.Nullable;

import java.util.Optional;

import static io.github.posthogflink.connector.table.PostHogAccessOptions.CLIENT_PROXY_HOST;
import static io.github.posthogflink.connector.table.PostHogAccessOptions.CLIENT_PROXY_NON_PROXY_HOSTS;
import static io.github.posthogflink.connector.table.PostHogAccessOptions.CLIENT_PROXY_PASSWORD;
import static io.github.posthogflink.connector.table.PostHogAccessOptions.CLIENT_PROXY_PORT;
import static io.github.posthogflink.connector.table.PostHogAccessOptions.CLIENT_PROXY_USERNAME;
import static io.github.posthogflink.connector.table.PostHogAccessOptions.CREDENTIALS_ENV_FLAGS_SECURE_API_KEY;
import static io.github.posthogflink.connector.table.PostHogAccessOptions.CREDENTIALS_ENV_PERSONAL_API_KEY;
import static io.github.posthogflink.connector.table.PostHogAccessOptions.CREDENTIALS_ENV_PROJECT_API_KEY;
import static io.github.posthogflink.connector.table.PostHogAccessOptions.CREDENTIALS_FILE_PATH;
import static io.github.posthogflink.connector.table.PostHogAccessOptions.CREDENTIALS_PROVIDER;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.API_HOST;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.CLIENT_CONNECT_TIMEOUT;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.CLIENT_MAX_CONNECTIONS;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.CLIENT_MAX_RETRIES;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.CLIENT_REQUEST_TIMEOUT;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.FLAGS_SECURE_API_KEY;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.HOST;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PERSONAL_API_KEY;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PROJECT_API_KEY;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PROJECT_ID;

/**
 * Checks the common options of the PostHog SQL connectors and builds the client configuration.
 * Messages name options, never their values when the option holds a key.
 */
final class PostHogTableConfigs {

    private PostHogTableConfigs() {}

    /** The options every PostHog table accepts. */
    static java.util.Set<ConfigOption<?>> commonOptions() {
        return java.util.Set.of(
                HOST,
                API_HOST,
                PROJECT_API_KEY,
                PERSONAL_API_KEY,
                FLAGS_SECURE_API_KEY,
                PROJECT_ID,
                CLIENT_CONNECT_TIMEOUT,
                CLIENT_REQUEST_TIMEOUT,
                CLIENT_MAX_CONNECTIONS,
                CLIENT_MAX_RETRIES,
                EnumOptions.lenient(CREDENTIALS_PROVIDER),
                CREDENTIALS_ENV_PROJECT_API_KEY,
                CREDENTIALS_ENV_PERSONAL_API_KEY,
                CREDENTIALS_ENV_FLAGS_SECURE_API_KEY,
                CREDENTIALS_FILE_PATH,
                CLIENT_PROXY_HOST,
                CLIENT_PROXY_PORT,
                CLIENT_PROXY_USERNAME,
                CLIENT_PROXY_PASSWORD,
                CLIENT_PROXY_NON_PROXY_HOSTS);
    }

    /** Validates the common options and builds the client configuration. */
    static PostHogClientConfig clientConfig(ReadableConfig options) {
        String host = host(options, HOST);
        Optional<String> apiHost = options.getOptional(API_HOST).map(h -> host(options, API_HOST));
        requirePositive(options, CLIENT_MAX_CONNECTIONS);
        if (options.get(CLIENT_MAX_RETRIES) < 0) {
            throw new ValidationException(
                    "Option '" + CLIENT_MAX_RETRIES.key() + "' must be >= 0.");
        }
        String projectApiKey = options.getOptional(PROJECT_API_KEY).orElse(null);
        if (projectApiKey != null && !projectApiKey.startsWith("phc_")) {
            throw new ValidationException(
                    "Option '"
                            + PROJECT_API_KEY.key()
                            + "' must hold a project API key (phc_...); personal keys go in '"
                            + PERSONAL_API_KEY.key()
                            + "'.");
        }
        String projectId = options.getOptional(PROJECT_ID).orElse(null);
        if (projectId != null && !projectId.matches("[0-9]+")) {
            throw new ValidationException(
                    "Option '" + PROJECT_ID.key() + "' must be a numeric project id.");
        }
        PostHogCredentials credentials = credentials(options);
        try {
            return PostHogClientConfig.builder()
                    .credentials(credentials)
                    .proxy(proxy(options))
                    .host(host)
                    .apiHost(apiHost.orElse(null))
                    .projectApiKey(projectApiKey)
                    .personalApiKey(options.getOptional(PERSONAL_API_KEY).orElse(null))
                    .flagsSecureKey(options.getOptional(FLAGS_SECURE_API_KEY).orElse(null))
                    .projectId(projectId)
                    .connectTimeout(options.get(CLIENT_CONNECT_TIMEOUT))
                    .requestTimeout(options.get(CLIENT_REQUEST_TIMEOUT))
                    .maxConnections(options.get(CLIENT_MAX_CONNECTIONS))
                    .retryPolicy(
                            RetryPolicy.DEFAULT.withMaxRetries(options.get(CLIENT_MAX_RETRIES)))
                    .build();
        } catch (IllegalArgumentException e) {
            // The client's own checks; their messages never carry a key.
            throw new ValidationException("Invalid PostHog client options: " + e.getMessage(), e);
        }
    }

    /**
     * Fails unless the key option is set under {@code credentials.provider = INLINE}; under ENV and
     * FILE the task checks when it reads the key.
     */
    static void requireKey(ReadableConfig options, ConfigOption<String> key) {
        if (EnumOptions.get(options, CREDENTIALS_PROVIDER) == CredentialsProvider.INLINE
                && options.getOptional(key).filter(v -> !v.isBlank()).isEmpty()) {
            throw new ValidationException(
                    "Missing required options are:\n\n"
                            + key.key()
                            + "\n\n(or read the key on the TaskManagers with '"
                            + CREDENTIALS_PROVIDER.key()
                            + "' = 'ENV' or 'FILE').");
        }
    }

    /** Where keys not in the DDL come from, or null for INLINE. Validates the combination. */
    @Nullable
    private static PostHogCredentials credentials(ReadableConfig options) {
        CredentialsProvider provider = EnumOptions.get(options, CREDENTIALS_PROVIDER);
        if (provider == CredentialsProvider.INLINE) {
            return null;
        }
        for (ConfigOption<String> inline :
                java.util.List.of(PROJECT_API_KEY, PERSONAL_API_KEY, FLAGS_SECURE_API_KEY)) {
            if (options.getOptional(inline).isPresent()) {
                throw new ValidationException(
                        "Option '"
                                + inline.key()
                                + "' cannot be combined with '"
                                + CREDENTIALS_PROVIDER.key()
                                + "' = '"
                                + provider
                                + "': the key comes from the provider.");
            }
        }
        if (provider == CredentialsProvider.FILE) {
            return PostHogCredentials.fromFile(
                    require(options, CREDENTIALS_FILE_PATH, "with credentials.provider = FILE"));
        }
        java.util.Map<PostHogCredentials.Key, String> variables =
                new java.util.EnumMap<>(PostHogCredentials.Key.class);
        variables.put(
                PostHogCredentials.Key.PROJECT_API_KEY,
                options.get(CREDENTIALS_ENV_PROJECT_API_KEY));
        variables.put(
                PostHogCredentials.Key.PERSONAL_API_KEY,
                options.get(CREDENTIALS_ENV_PERSONAL_API_KEY));
        variables.put(
                PostHogCredentials.Key.FLAGS_SECURE_API_KEY,
                options.get(CREDENTIALS_ENV_FLAGS_SECURE_API_KEY));
        try {
            return PostHogCredentials.fromEnvironment(variables);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Invalid credentials options: " + e.getMessage(), e);
        }
    }

    @Nullable
    private static PostHogProxy proxy(ReadableConfig options) {
        Optional<String> host = options.getOptional(CLIENT_PROXY_HOST);
        if (host.isEmpty()) {
            for (ConfigOption<?> option :
                    java.util.List.of(
                            CLIENT_PROXY_PORT,
                            CLIENT_PROXY_USERNAME,
                            CLIENT_PROXY_PASSWORD,
                            CLIENT_PROXY_NON_PROXY_HOSTS)) {
                if (options.getOptional(option).isPresent()) {
                    throw new ValidationException(
                            "Option '"
                                    + option.key()
                                    + "' needs '"
                                    + CLIENT_PROXY_HOST.key()
                                    + "'.");
                }
            }
            return null;
        }
        int port =
                options.getOptional(CLIENT_PROXY_PORT)
                        .orElseThrow(
                                () ->
                                        new ValidationException(
                                                "Option '"
                                                        + CLIENT_PROXY_PORT.key()
                                                        + "' is required with '"
                                                        + CLIENT_PROXY_HOST.key()
                                                        + "'."));
        Optional<String> username = options.getOptional(CLIENT_PROXY_USERNAME);
        Optional<String> password = options.getOptional(CLIENT_PROXY_PASSWORD);
        try {
            PostHogProxy proxy =
                    PostHogProxy.of(host.get(), port)
                            .withNonProxyHosts(
                                    options.getOptional(CLIENT_PROXY_NON_PROXY_HOSTS)
                                            .orElse(java.util.List.of()));
            if (username.isPresent() || password.isPresent()) {
                if (username.isEmpty() || password.isEmpty()) {
                    throw new IllegalArgumentException(
                            "'"
                                    + CLIENT_PROXY_USERNAME.key()
                                    + "' and '"
                                    + CLIENT_PROXY_PASSWORD.key()
                                    + "' go together");
                }
                proxy = proxy.withCredentials(username.get(), password.get());
            }
            return proxy;
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Invalid proxy options: " + e.getMessage(), e);
        }
    }

    /** Flink's lookup cache options (FLIP-221) the lookup tables accept. */
    static java.util.Set<ConfigOption<?>> lookupCacheOptions() {
        return java.util.Set.of(
                LookupOptions.CACHE_TYPE,
                LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_ACCESS,
                LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_WRITE,
                LookupOptions.PARTIAL_CACHE_CACHE_MISSING_KEY,
                LookupOptions.PARTIAL_CACHE_MAX_ROWS);
    }

    /** Flink's partial lookup cache, or null under {@code lookup.cache = NONE}. */
    @Nullable
    static LookupCache lookupCache(ReadableConfig options, String connector) {
        LookupCacheType type = options.get(LookupOptions.CACHE_TYPE);
        if (type == LookupCacheType.NONE) {
            return null;
        }
        if (type != LookupCacheType.PARTIAL) {
            throw new ValidationException(
                    "A "
                            + connector
                            + " table supports 'lookup.cache' NONE or PARTIAL, not "
                            + type
                            + ".");
        }
        return DefaultLookupCache.fromConfig(options);
    }

    /** Fails unless {@code option} is set. */
    static String require(ReadableConfig options, ConfigOption<String> option, String purpose) {
        return options.getOptional(option)
                .filter(v -> !v.isBlank())
                .orElseThrow(
                        () ->
                                new ValidationException(
                                        "Option '"
                                                + option.key()
                                                + "' is required "
                                                + purpose
                                                + "."));
    }

    static void requirePositive(ReadableConfig options, ConfigOption<Integer> option) {
        if (options.get(option) < 1) {
            throw new ValidationException("Option '" + option.key() + "' must be >= 1.");
        }
    }

    private static String host(ReadableConfig options, ConfigOption<String> option) {
        String value = options.get(option);
        try {
            return PostHogHosts.normalize(value);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(
                    "Option '"
                            + option.key()
                            + "' is not a valid PostHog host: expected http(s)://host[:port],"
                            + " e.g. https://eu.i.posthog.com.",
                    e);
        }
    }
}
