package io.github.posthogflink.testkit;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;

/**
 * Sets environment variables of this JVM for a test, for code that reads its configuration from
 * {@link System#getenv} (the connectors' {@code credentials.provider = ENV}); {@link #close()}
 * restores them. Needs {@code --add-opens java.base/java.util=ALL-UNNAMED}, which Flink's tests
 * pass anyway. Not thread-safe against concurrent readers of the environment beyond what {@link
 * System#getenv} already is; meant for one test at a time.
 */
public final class EnvironmentVariables implements AutoCloseable {
    private final Map<String, String> previous = new HashMap<>();

    private EnvironmentVariables() {}

    /** Sets each variable (a null value removes it) until {@link #close()}. */
    public static EnvironmentVariables set(Map<String, String> variables) {
        EnvironmentVariables env = new EnvironmentVariables();
        Map<String, String> writable = writableEnvironment();
        variables.forEach(
                (name, value) -> {
                    env.previous.put(name, System.getenv(name));
                    put(writable, name, value);
                });
        return env;
    }

    @Override
    public void close() {
        Map<String, String> writable = writableEnvironment();
        previous.forEach((name, value) -> put(writable, name, value));
    }

    private static void put(Map<String, String> env, String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
    }

    /** The map behind {@link System#getenv()}'s unmodifiable view, which getenv(name) reads. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> writableEnvironment() {
        Map<String, String> view = System.getenv();
        try {
            Field inner = view.getClass().getDeclaredField("m");
            inner.setAccessible(true);
            return (Map<String, String>) inner.get(view);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "Cannot set environment variables: run with --add-opens"
                            + " java.base/java.util=ALL-UNNAMED",
                    e);
        }
    }
}
