package io.github.posthogflink.jobs.preflight;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a personal API key may do, as {@code GET /api/personal_api_keys/@current/} answers: its
 * {@code scopes} and the projects it is limited to ({@code scoped_teams}). PostHog's rules ({@code
 * posthog/permissions.py} {@code APIScopePermission}, {@code
 * rust/feature-flags/src/api/permissions.rs}): {@code *} or no scopes at all (a legacy key) allow
 * everything, {@code x:write} implies {@code x:read}, and an empty {@code scoped_teams} means every
 * project of the user.
 */
public record KeyScopes(List<String> scopes, List<Long> scopedTeams) {

    public KeyScopes {
        scopes = List.copyOf(scopes);
        scopedTeams = List.copyOf(scopedTeams);
    }

    /** From PostHog's answer ({@code {"scopes": [...], "scoped_teams": [...], ...}}). */
    public static KeyScopes fromJson(JsonNode key) {
        List<String> scopes = new ArrayList<>();
        key.path("scopes").forEach(s -> scopes.add(s.asText()));
        List<Long> teams = new ArrayList<>();
        key.path("scoped_teams").forEach(t -> teams.add(t.asLong()));
        return new KeyScopes(scopes, teams);
    }

    /** Whether the key has {@code scope} (e.g. {@code person:read}). */
    public boolean allows(String scope) {
        if (scopes.isEmpty() || scopes.contains("*") || scopes.contains(scope)) {
            return true;
        }
        return scope.endsWith(":read")
                && scopes.contains(
                        scope.substring(0, scope.length() - ":read".length()) + ":write");
    }

    /** The scopes of {@code required} the key lacks, in their order. */
    public List<String> missing(Collection<String> required) {
        return required.stream().filter(s -> !allows(s)).toList();
    }

    /** Whether the key may reach project {@code projectId}. */
    public boolean allowsProject(long projectId) {
        return scopedTeams.isEmpty() || scopedTeams.contains(projectId);
    }
}
