package io.github.posthogflink.client;

import io.github.posthogflink.client.PostHogCredentials.Key;

import javax.annotation.Nullable;

import java.util.Map;

/**
 * Where a {@link PostHogClientConfig}'s inline keys and its {@link PostHogCredentials} meet: which
 * field holds a key, that an inline key wins over a read one, and how a missing required key fails.
 */
final class CredentialResolution {
    private CredentialResolution() {}

    /** See {@link PostHogClientConfig#resolveCredentials}. */
    static PostHogClientConfig resolve(PostHogClientConfig config, Key... required) {
        PostHogCredentials credentials = config.credentials();
        PostHogClientConfig resolved = config;
        if (credentials != null) {
            Map<Key, String> keys = credentials.read();
            resolved =
                    config.toBuilder()
                            .credentials(null)
                            .projectApiKey(inlineOrRead(config, keys, Key.PROJECT_API_KEY))
                            .personalApiKey(inlineOrRead(config, keys, Key.PERSONAL_API_KEY))
                            .flagsSecureKey(inlineOrRead(config, keys, Key.FLAGS_SECURE_API_KEY))
                            .build();
        }
        for (Key key : required) {
            if (inline(resolved, key) == null) {
                throw new IllegalStateException(
                        "No PostHog "
                                + key.description()
                                + ": "
                                + (credentials != null
                                        ? credentials.whereIs(key) + " is not set"
                                        : "none configured"));
            }
        }
        return resolved;
    }

    /** See {@link PostHogClientConfig#mayHave}. */
    static boolean mayHave(PostHogClientConfig config, Key key) {
        return inline(config, key) != null || config.credentials() != null;
    }

    @Nullable
    private static String inline(PostHogClientConfig config, Key key) {
        switch (key) {
            case PROJECT_API_KEY:
                return config.projectApiKey();
            case PERSONAL_API_KEY:
                return config.personalApiKey();
            default:
                return config.flagsSecureKey();
        }
    }

    @Nullable
    private static String inlineOrRead(PostHogClientConfig config, Map<Key, String> keys, Key key) {
        String inline = inline(config, key);
        return inline != null ? inline : keys.get(key);
    }
}
