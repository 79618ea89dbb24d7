package io.github.posthogflink.testkit.api;

import io.github.posthogflink.testkit.http.Response;

/**
 * How a resource is deleted, as PostHog's viewset for it does.
 *
 * <p>Viewsets with {@code ForbidDestroyModel} (feature flags, cohorts, dashboards, experiments,
 * actions, insights, annotations) answer {@code DELETE} with a bare 405 (DRF's {@code
 * Response(status=405)}: no body); they are deleted by {@code PATCH {"deleted": true}}, which hides
 * them from the list. Whether a soft-deleted item can still be retrieved depends on the viewset:
 * cohorts, actions, experiments and flags filter {@code deleted} on the list only; insights and
 * dashboards exclude deleted rows from every action except a {@code PATCH {"deleted": false}} that
 * restores one; annotations exclude them from every action except {@code PATCH}.
 */
public enum DeletePolicy {
    /** {@code DELETE} removes the item (204): surveys. */
    HARD,
    /**
     * {@code DELETE} is a 405; soft-deleted items stay retrievable: cohorts, actions, experiments.
     */
    SOFT_RETRIEVABLE,
    /**
     * {@code DELETE} is a 405; soft-deleted items are a 404 until restored: insights, dashboards.
     */
    SOFT_HIDDEN,
    /**
     * {@code DELETE} is a 405; soft-deleted items are a 404 to retrieve, but any {@code PATCH}
     * reaches them: annotations.
     */
    SOFT_HIDDEN_PATCHABLE;

    /** PostHog's {@code ForbidDestroyModel.destroy}: 405 without a body. */
    public static Response forbiddenDestroy() {
        return Response.empty(405);
    }

    public boolean soft() {
        return this != HARD;
    }
}
