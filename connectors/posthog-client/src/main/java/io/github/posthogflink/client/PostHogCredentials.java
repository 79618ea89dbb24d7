package io.github.posthogflink.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where a client's API keys come from when they are not given inline: environment variables or a
 * file, read when the client is created (on the TaskManager, in a Flink job), so the keys are never
 * part of a job graph, a compiled plan or a catalog. Holds names, never key values; serializable.
 *
 * <p>The model is flink-connector-aws's {@code aws.credentials.provider} ({@code ENV_VAR}, {@code
 * PROFILE}): the configuration says where to look, the task reads it.
 */
public final class PostHogCredentials implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The keys a client takes; {@link #option()} is their name in files and SQL options. */
    public enum Key {
        PROJECT_API_KEY("project-api-key", "POSTHOG_PROJECT_API_KEY", "project API key"),
        PERSONAL_API_KEY("personal-api-key", "POSTHOG_PERSONAL_API_KEY", "personal API key"),
        FLAGS_SECURE_API_KEY(
                "flags-secure-api-key",
                "POSTHOG_FLAGS_SECURE_API_KEY",
                "feature flags secure API key");

        private final String option;
        private final String defaultVariable;
        private final String description;

        Key(String option, String defaultVariable, String description) {
            this.option = option;
            this.defaultVariable = defaultVariable;
            this.description = description;
        }

        /**
         * The key's name in a credentials file and in SQL options, e.g. {@code project-api-key}.
         */
        public String option() {
            return option;
        }

        /** The environment variable read by default, e.g. {@code POSTHOG_PROJECT_API_KEY}. */
        public String defaultVariable() {
            return defaultVariable;
        }

        public String description() {
            return description;
        }
    }

    private final Map<Key, String> variables;
    private final String file;

    private PostHogCredentials(Map<Key, String> variables, String file) {
        this.variables = variables;
        this.file = file;
    }

    /** The keys from the environment variables {@link Key#defaultVariable()}. */
    public static PostHogCredentials fromEnvironment() {
        return fromEnvironment(Map.of());
    }

    /**
     * The keys from environment variables: {@code variables} names the variable of a key, the
     * others use {@link Key#defaultVariable()}.
     */
    public static PostHogCredentials fromEnvironment(Map<Key, String> variables) {
        Map<Key, String> names = new EnumMap<>(Key.class);
        for (Key key : Key.values()) {
            String name = variables.getOrDefault(key, key.defaultVariable());
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(
                        "The environment variable of the " + key.description() + " is blank");
            }
            names.put(key, name.trim());
        }
        return new PostHogCredentials(names, null);
    }

    /**
     * The keys from a file: a JSON object (name ending {@code .json}) or Java properties, with the
     * entries {@code project-api-key}, {@code personal-api-key}, {@code flags-secure-api-key} (each
     * optional), e.g. a mounted Kubernetes secret.
     */
    public static PostHogCredentials fromFile(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("The credentials file path is blank");
        }
        return new PostHogCredentials(null, path.trim());
    }

    /** The keys found; a key that is not there is absent. Never logs a value. */
    public Map<Key, String> read() {
        Map<Key, String> keys = new EnumMap<>(Key.class);
        if (file == null) {
            variables.forEach((key, variable) -> put(keys, key, System.getenv(variable)));
        } else {
            readFile(keys);
        }
        return keys;
    }

    /** Where the key is looked for, for error messages: a variable or a file entry. */
    public String whereIs(Key key) {
        return file == null
                ? "environment variable " + variables.get(key)
                : "entry '" + key.option() + "' of the credentials file " + file;
    }

    private void readFile(Map<Key, String> keys) {
        Path path = Path.of(file);
        try {
            if (file.toLowerCase(Locale.ROOT).endsWith(".json")) {
                JsonNode root = new ObjectMapper().readTree(path.toFile());
                if (root == null || !root.isObject()) {
                    throw new IllegalStateException(
                            "The credentials file " + file + " is not a JSON object");
                }
                for (Key key : Key.values()) {
                    JsonNode value = root.get(key.option());
                    put(keys, key, value != null && value.isTextual() ? value.asText() : null);
                }
            } else {
                Properties properties = new Properties();
                try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                    properties.load(reader);
                }
                for (Key key : Key.values()) {
                    put(keys, key, properties.getProperty(key.option()));
                }
            }
        } catch (IOException e) {
            // The exception's own message may quote file content (a JSON parse error): left out.
            throw new IllegalStateException(
                    "Cannot read the PostHog credentials file "
                            + file
                            + " ("
                            + e.getClass().getSimpleName()
                            + ")");
        }
    }

    private static void put(Map<Key, String> keys, Key key, String value) {
        if (value != null && !value.isBlank()) {
            keys.put(key, value.trim());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PostHogCredentials
                && Objects.equals(variables, ((PostHogCredentials) o).variables)
                && Objects.equals(file, ((PostHogCredentials) o).file);
    }

    @Override
    public int hashCode() {
        return Objects.hash(variables, file);
    }

    @Override
    public String toString() {
        return file == null ? "env" + variables.values() : "file(" + file + ")";
    }
}
