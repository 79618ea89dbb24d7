package io.github.posthogflink.client.persons;

/**
 * What a person delete also removes, as PostHog's {@code bulk_delete} and {@code destroy} take it
 * ({@code posthog/api/person.py}): the person's events and recordings are queued for deletion
 * (PostHog runs event deletion in a weekly batch), and with {@code keepPerson} the person record
 * itself stays.
 */
public record PersonDeletion(boolean deleteEvents, boolean deleteRecordings, boolean keepPerson) {
    /** The person record only: PostHog's defaults. */
    public static final PersonDeletion PERSON_ONLY = new PersonDeletion(false, false, false);

    public PersonDeletion withEvents() {
        return new PersonDeletion(true, deleteRecordings, keepPerson);
    }

    public PersonDeletion withRecordings() {
        return new PersonDeletion(deleteEvents, true, keepPerson);
    }

    /** Keeps the person record; only its events and recordings (as chosen) are deleted. */
    public PersonDeletion keepingPerson() {
        return new PersonDeletion(deleteEvents, deleteRecordings, true);
    }
}
