package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.persons.Person;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/** The outcome of one lookup: a status and, when {@link PersonStatus#FOUND}, the person. */
@PublicEvolving
public record PersonLookupResult(PersonStatus status, Optional<Person> person)
        implements Serializable {
    private static final PersonLookupResult NOT_FOUND =
            new PersonLookupResult(PersonStatus.NOT_FOUND, Optional.empty());
    private static final PersonLookupResult SKIPPED =
            new PersonLookupResult(PersonStatus.SKIPPED_BUDGET, Optional.empty());
    private static final PersonLookupResult TIMED_OUT =
            new PersonLookupResult(PersonStatus.TIMED_OUT, Optional.empty());
    private static final PersonLookupResult UNDETERMINED =
            new PersonLookupResult(PersonStatus.UNDETERMINED, Optional.empty());

    public PersonLookupResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(person, "person");
        if (person.isPresent() != (status == PersonStatus.FOUND)) {
            throw new IllegalArgumentException("a person is present exactly when FOUND");
        }
    }

    public static PersonLookupResult of(Optional<Person> person) {
        return person.map(PersonLookupResult::found).orElse(NOT_FOUND);
    }

    public static PersonLookupResult found(Person person) {
        return new PersonLookupResult(PersonStatus.FOUND, Optional.of(person));
    }

    public static PersonLookupResult notFound() {
        return NOT_FOUND;
    }

    public static PersonLookupResult skippedBudget() {
        return SKIPPED;
    }

    public static PersonLookupResult timedOut() {
        return TIMED_OUT;
    }

    public static PersonLookupResult undetermined() {
        return UNDETERMINED;
    }
}
