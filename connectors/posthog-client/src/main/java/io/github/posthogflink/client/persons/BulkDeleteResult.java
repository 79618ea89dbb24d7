package io.github.posthogflink.client.persons;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * PostHog's answer to {@code bulk_delete}: persons matched, person records deleted (0 with {@code
 * keepPerson}), whether event and recording deletion was queued, and the persons that could not be
 * deleted ({@code person_uuid} each).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BulkDeleteResult(
        @JsonProperty("persons_found") int personsFound,
        @JsonProperty("persons_deleted") int personsDeleted,
        @JsonProperty("events_queued_for_deletion") boolean eventsQueuedForDeletion,
        @JsonProperty("recordings_queued_for_deletion") boolean recordingsQueuedForDeletion,
        @JsonProperty("deletion_errors") List<Map<String, String>> deletionErrors) {

    public BulkDeleteResult {
        deletionErrors = deletionErrors == null ? List.of() : deletionErrors;
    }
}
