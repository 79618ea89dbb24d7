package io.github.posthogflink.testkit.faults;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which requests a fault applies to: an optional HTTP method and a path regex. Paths given to
 * {@link #path} match with or without their trailing slash.
 */
public record RouteMatcher(String method, Pattern pathPattern) {

    public static RouteMatcher any() {
        return new RouteMatcher(null, Pattern.compile(".*"));
    }

    /** An exact path, trailing slash optional, any method. */
    public static RouteMatcher path(String path) {
        return new RouteMatcher(null, exact(path));
    }

    public static RouteMatcher path(String method, String path) {
        return new RouteMatcher(method.toUpperCase(Locale.ROOT), exact(path));
    }

    public static RouteMatcher pathRegex(String regex) {
        return new RouteMatcher(null, Pattern.compile(regex));
    }

    public static RouteMatcher pathRegex(String method, String regex) {
        return new RouteMatcher(
                method == null ? null : method.toUpperCase(Locale.ROOT), Pattern.compile(regex));
    }

    /** Every capture route. */
    public static RouteMatcher capture() {
        return pathRegex("/(i/v0/e|e|capture|track|engage|batch)/?");
    }

    /** Remote flag evaluation ({@code /flags}). */
    public static RouteMatcher flags() {
        return pathRegex("/flags/?");
    }

    /** The local-evaluation definitions endpoints. */
    public static RouteMatcher flagDefinitions() {
        return pathRegex("/flags/definitions/?|/api/feature_flag/local_evaluation/?");
    }

    /** The query API. */
    public static RouteMatcher query() {
        return pathRegex("/api/(projects|environments)/[^/]+/query/.*");
    }

    private static Pattern exact(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return Pattern.compile(Pattern.quote(trimmed) + "/?");
    }

    public boolean matches(String requestMethod, String requestPath) {
        return (method == null || method.equalsIgnoreCase(requestMethod))
                && pathPattern.matcher(requestPath).matches();
    }
}
