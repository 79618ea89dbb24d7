package io.github.posthogflink.testkit.api;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The personal-key scopes a request needs, as PostHog's {@code APIScopePermission} derives them
 * ({@code posthog/permissions.py}): the viewset's {@code scope_object} with {@code :read} for list
 * and retrieve, {@code :write} for create, update and destroy, and an action's own {@code
 * required_scopes} where it sets them ({@code posthog/api/person.py}, {@code query.py}).
 */
final class ApiScopes {
    /** The scope object of each project resource the testkit serves. */
    private static final Map<String, String> OBJECTS =
            Map.ofEntries(
                    Map.entry("persons", "person"),
                    Map.entry("query", "query"),
                    Map.entry("feature_flags", "feature_flag"),
                    Map.entry("annotations", "annotation"),
                    Map.entry("cohorts", "cohort"),
                    Map.entry("surveys", "survey"),
                    Map.entry("actions", "action"),
                    Map.entry("experiments", "experiment"),
                    Map.entry("insights", "insight"),
                    Map.entry("dashboards", "dashboard"),
                    Map.entry("session_recordings", "session_recording"),
                    Map.entry("event_definitions", "event_definition"),
                    Map.entry("property_definitions", "property_definition"));

    private static final Pattern PROJECT_RESOURCE =
            Pattern.compile("/api/(?:projects|environments)/[^/]+/(?<resource>[^/]+)(?<rest>/.*)?");

    /** Persons actions PostHog marks {@code person:read} although they are POSTs. */
    private static final Pattern PERSONS_READ_POST =
            Pattern.compile("/(batch_by_distinct_ids|batch_by_uuids)/?");

    private ApiScopes() {}

    /**
     * The scopes {@code method path} needs; empty when the testkit knows no scope for it (any key
     * may call it).
     */
    static List<String> required(String method, String path) {
        if (path.matches("/api/users/.*")) {
            return List.of(isRead(method) ? "user:read" : "user:write");
        }
        Matcher m = PROJECT_RESOURCE.matcher(path);
        if (!m.matches()) {
            return List.of();
        }
        String resource = m.group("resource");
        String rest = m.group("rest") == null ? "" : m.group("rest");
        String object = OBJECTS.get(resource);
        if (object == null) {
            return List.of();
        }
        if ("query".equals(object)) {
            // The query viewset lists create, retrieve and destroy as read actions.
            return List.of("query:read");
        }
        if ("person".equals(object)) {
            if (rest.matches("/cohorts/?")) {
                return List.of("person:read", "cohort:read");
            }
            if ("POST".equals(method) && PERSONS_READ_POST.matcher(rest).matches()) {
                return List.of("person:read");
            }
        }
        if ("feature_flag".equals(object) && rest.matches("/local_evaluation/?")) {
            return List.of("feature_flag:read");
        }
        return List.of(object + (isRead(method) ? ":read" : ":write"));
    }

    private static boolean isRead(String method) {
        return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
    }

    /**
     * Whether {@code granted} covers {@code scope}: {@code *}, the scope, or for {@code x:read}
     * also {@code x:write}.
     */
    static boolean allows(List<String> granted, String scope) {
        if (granted.contains("*") || granted.contains(scope)) {
            return true;
        }
        return scope.endsWith(":read")
                && granted.contains(scope.substring(0, scope.length() - 5) + ":write");
    }
}
