package io.github.posthogflink.client.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import javax.annotation.Nullable;

import java.util.List;

/**
 * A personal API key as PostHog describes it ({@code posthog/api/personal_api_key.py}): never its
 * value, only its mask. {@code scopes} is {@code ["*"]} for a key with every scope (PostHog shows a
 * legacy key without scopes that way too); {@code scopedTeams} and {@code scopedOrganizations}
 * empty mean no restriction.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PersonalApiKey(
        @JsonProperty("id") String id,
        @JsonProperty("label") @Nullable String label,
        @JsonProperty("mask_value") @Nullable String maskValue,
        @JsonProperty("created_at") @Nullable String createdAt,
        @JsonProperty("last_used_at") @Nullable String lastUsedAt,
        @JsonProperty("last_rolled_at") @Nullable String lastRolledAt,
        @JsonProperty("user_id") @Nullable Long userId,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("scoped_teams") List<Long> scopedTeams,
        @JsonProperty("scoped_organizations") List<String> scopedOrganizations) {

    public PersonalApiKey {
        scopes = scopes == null || scopes.isEmpty() ? List.of("*") : List.copyOf(scopes);
        scopedTeams = scopedTeams == null ? List.of() : List.copyOf(scopedTeams);
        scopedOrganizations =
                scopedOrganizations == null ? List.of() : List.copyOf(scopedOrganizations);
    }

    /**
     * Whether the key grants {@code scope} (e.g. {@code person:read}) as PostHog checks it ({@code
     * APIScopePermission}): {@code *}, the scope itself, or for {@code x:read} also {@code
     * x:write}.
     */
    public boolean allows(String scope) {
        if (scopes.contains("*") || scopes.contains(scope)) {
            return true;
        }
        return scope.endsWith(":read")
                && scopes.contains(
                        scope.substring(0, scope.length() - ":read".length()) + ":write");
    }

    /** The scopes of {@code required} this key lacks, in their order. */
    public List<String> missing(List<String> required) {
        return required.stream().filter(s -> !allows(s)).toList();
    }

    /** Whether the key may reach this project (team) id. */
    public boolean allowsProject(long projectId) {
        return scopedTeams.isEmpty() || scopedTeams.contains(projectId);
    }
}
