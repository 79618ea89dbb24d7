package io.github.posthogflink.connector.enrich.persons;

import io.github.posthogflink.client.persons.Person;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/**
 * An element with the person found for it. {@code person} is null unless {@code status} is {@link
 * PersonStatus#FOUND}.
 */
@PublicEvolving
public record EnrichedWithPerson<T>(T value, @Nullable Person person, PersonStatus status)
        implements Serializable {

    public EnrichedWithPerson {
        Objects.requireNonNull(status, "status");
        if ((person != null) != (status == PersonStatus.FOUND)) {
            throw new IllegalArgumentException("a person is present exactly when FOUND");
        }
    }

    /** The element with its lookup result. */
    public static <T> EnrichedWithPerson<T> of(T value, PersonLookupResult result) {
        return new EnrichedWithPerson<>(value, result.person().orElse(null), result.status());
    }

    /** The person, if one was found. */
    public Optional<Person> maybePerson() {
        return Optional.ofNullable(person);
    }
}
