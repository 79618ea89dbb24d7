package io.github.posthogflink.testkit.persons;

import io.github.posthogflink.testkit.capture.CapturedEvent;
import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Persons by numeric id, uuid and distinct id; every change is reported to a listener. Changes take
 * no copy of a person: snapshots are made for readers only.
 */
public final class PersonStore {
    /**
     * Told the uuid of each person created, changed or deleted (not of one only seen again), after
     * the change and outside the store's lock.
     */
    public interface Listener {
        void changed(UUID personUuid);
    }

    private final Map<Long, Person> byId = new LinkedHashMap<>();
    private final Map<UUID, Person> byUuid = new HashMap<>();
    private final Map<String, Person> byDistinctId = new HashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final long projectId;
    private volatile Listener listener;

    public PersonStore(long projectId) {
        this.projectId = projectId;
    }

    public void setListener(Listener listener) {
        this.listener = listener;
    }

    /**
     * Applies {@code $set}, {@code $set_once} and {@code $unset} to the person, creating it;
     * returns the person as it now is.
     */
    public PersonSnapshot upsert(
            String distinctId, JsonNode set, JsonNode setOnce, JsonNode unset, Instant now) {
        PersonSnapshot snapshot;
        synchronized (this) {
            Person person = apply(distinctId, set, setOnce, unset, now);
            snapshot = person.snapshot();
        }
        notifyChanged(snapshot.uuid());
        return snapshot;
    }

    /** As {@link #upsert}, without a snapshot of the result. */
    public void update(
            String distinctId, JsonNode set, JsonNode setOnce, JsonNode unset, Instant now) {
        UUID changed;
        synchronized (this) {
            changed = apply(distinctId, set, setOnce, unset, now).uuid;
        }
        notifyChanged(changed);
    }

    private Person apply(
            String distinctId, JsonNode set, JsonNode setOnce, JsonNode unset, Instant now) {
        Person person = getOrCreate(distinctId, now);
        applyProperties(person, set, setOnce, unset);
        person.seenAt(now);
        return person;
    }

    /**
     * Marks each event's person as seen at the event's time, in order (events that change no
     * property): creates the persons not known yet, moves the others' last-seen time.
     */
    public void seen(List<CapturedEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<UUID> created = new ArrayList<>();
        synchronized (this) {
            for (CapturedEvent event : events) {
                Person person = byDistinctId.get(event.distinctId());
                if (person == null) {
                    person = getOrCreate(event.distinctId(), event.timestamp());
                    created.add(person.uuid);
                }
                // The time as numbers: no Instant per event.
                person.seenAt(event.timestampEpochSecond(), event.timestampNano());
            }
        }
        created.forEach(this::notifyChanged);
    }

    /**
     * Links two distinct ids to one person ({@code $identify}, {@code $create_alias}): adds the
     * missing one, or merges {@code other}'s person into {@code target}'s. With {@code
     * onlyIfOtherAnonymous}, an already identified other person is not merged.
     */
    public void link(String target, String other, boolean onlyIfOtherAnonymous, Instant now) {
        List<UUID> deleted = new ArrayList<>();
        UUID result;
        synchronized (this) {
            Person targetPerson = byDistinctId.get(target);
            Person otherPerson = byDistinctId.get(other);
            if (targetPerson == null && otherPerson == null) {
                targetPerson = getOrCreate(target, now);
                addDistinctId(targetPerson, other);
            } else if (targetPerson == null) {
                addDistinctId(otherPerson, target);
                targetPerson = otherPerson;
            } else if (otherPerson == null) {
                addDistinctId(targetPerson, other);
            } else if (targetPerson != otherPerson
                    && !(onlyIfOtherAnonymous && otherPerson.identified)) {
                merge(otherPerson, targetPerson);
                deleted.add(otherPerson.uuid);
            }
            targetPerson.identified = true;
            result = targetPerson.uuid;
        }
        deleted.forEach(this::notifyChanged);
        notifyChanged(result);
    }

    private void merge(Person source, Person target) {
        source.properties
                .fields()
                .forEachRemaining(
                        f -> {
                            if (!target.properties.has(f.getKey())) {
                                target.properties.set(f.getKey(), f.getValue());
                            }
                        });
        if (source.createdAt.isBefore(target.createdAt)) {
            target.createdAt = source.createdAt;
        }
        for (String distinctId : List.copyOf(source.distinctIds)) {
            addDistinctId(target, distinctId);
        }
        remove(source);
    }

    private Person getOrCreate(String distinctId, Instant now) {
        Person person = byDistinctId.get(distinctId);
        if (person == null) {
            UUID uuid =
                    UUID.nameUUIDFromBytes(
                            (projectId + ":" + distinctId).getBytes(StandardCharsets.UTF_8));
            while (byUuid.containsKey(uuid)) {
                uuid = UUID.randomUUID();
            }
            person = new Person(ids.incrementAndGet(), uuid, Json.object(), now);
            byId.put(person.id, person);
            byUuid.put(uuid, person);
            addDistinctId(person, distinctId);
        }
        return person;
    }

    private void addDistinctId(Person person, String distinctId) {
        Person previous = byDistinctId.put(distinctId, person);
        if (previous != null && previous != person) {
            previous.distinctIds.remove(distinctId);
        }
        if (!person.distinctIds.contains(distinctId)) {
            person.distinctIds.add(distinctId);
        }
    }

    private void remove(Person person) {
        byId.remove(person.id);
        byUuid.remove(person.uuid);
        for (String distinctId : person.distinctIds) {
            byDistinctId.remove(distinctId, person);
        }
    }

    private static void applyProperties(
            Person person, JsonNode set, JsonNode setOnce, JsonNode unset) {
        if (setOnce != null && setOnce.isObject()) {
            setOnce.fields()
                    .forEachRemaining(
                            f -> {
                                if (!person.properties.has(f.getKey())) {
                                    person.properties.set(f.getKey(), f.getValue());
                                }
                            });
        }
        if (set != null && set.isObject()) {
            person.properties.setAll((ObjectNode) set.deepCopy());
        }
        if (unset != null && unset.isArray()) {
            unset.forEach(key -> person.properties.remove(key.asText()));
        } else if (unset != null && unset.isObject()) {
            unset.fieldNames().forEachRemaining(person.properties::remove);
        }
    }

    /** Replaces ({@code replace}) or merges the person's properties. */
    public Optional<PersonSnapshot> updateProperties(
            UUID uuid, ObjectNode properties, boolean replace) {
        PersonSnapshot snapshot;
        synchronized (this) {
            Person person = byUuid.get(uuid);
            if (person == null) {
                return Optional.empty();
            }
            if (replace) {
                person.properties = properties.deepCopy();
            } else {
                person.properties.setAll(properties.deepCopy());
            }
            snapshot = person.snapshot();
        }
        notifyChanged(snapshot.uuid());
        return Optional.of(snapshot);
    }

    public Optional<PersonSnapshot> deleteProperty(UUID uuid, String key) {
        PersonSnapshot snapshot;
        synchronized (this) {
            Person person = byUuid.get(uuid);
            if (person == null) {
                return Optional.empty();
            }
            person.properties.remove(key);
            snapshot = person.snapshot();
        }
        notifyChanged(snapshot.uuid());
        return Optional.of(snapshot);
    }

    /** Gives every distinct id but the first its own new person. */
    public Optional<List<PersonSnapshot>> split(UUID uuid, Instant now) {
        return split(uuid, now, null, null);
    }

    /**
     * Splits as PostHog's {@code split_person}: every distinct id but {@code mainDistinctId} (by
     * default the first) moves to a person of its own; with {@code toSplit}, only those do. The
     * person keeps its properties. Returns the person, then the new ones.
     */
    public Optional<List<PersonSnapshot>> split(
            UUID uuid, Instant now, String mainDistinctId, List<String> toSplit) {
        List<PersonSnapshot> result = new ArrayList<>();
        synchronized (this) {
            Person person = byUuid.get(uuid);
            if (person == null) {
                return Optional.empty();
            }
            String main =
                    mainDistinctId != null || person.distinctIds.isEmpty()
                            ? mainDistinctId
                            : person.distinctIds.get(0);
            List<String> others = new ArrayList<>();
            for (String distinctId : person.distinctIds) {
                boolean moves =
                        toSplit != null ? toSplit.contains(distinctId) : !distinctId.equals(main);
                if (moves) {
                    others.add(distinctId);
                }
            }
            for (String distinctId : others) {
                person.distinctIds.remove(distinctId);
                byDistinctId.remove(distinctId);
                result.add(getOrCreate(distinctId, now).snapshot());
            }
            result.add(0, person.snapshot());
        }
        result.forEach(person -> notifyChanged(person.uuid()));
        return Optional.of(result);
    }

    public boolean delete(UUID uuid) {
        synchronized (this) {
            Person person = byUuid.get(uuid);
            if (person == null) {
                return false;
            }
            remove(person);
        }
        notifyChanged(uuid);
        return true;
    }

    public synchronized Optional<PersonSnapshot> byDistinctId(String distinctId) {
        Person person = byDistinctId.get(distinctId);
        return person == null ? Optional.empty() : Optional.of(person.snapshot());
    }

    public synchronized Optional<PersonSnapshot> byUuid(UUID uuid) {
        Person person = byUuid.get(uuid);
        return person == null ? Optional.empty() : Optional.of(person.snapshot());
    }

    public synchronized Optional<PersonSnapshot> byId(long id) {
        Person person = byId.get(id);
        return person == null ? Optional.empty() : Optional.of(person.snapshot());
    }

    /** All persons, oldest first. */
    public synchronized List<PersonSnapshot> all() {
        Collection<Person> persons = byId.values();
        List<PersonSnapshot> result = new ArrayList<>(persons.size());
        persons.forEach(p -> result.add(p.snapshot()));
        return result;
    }

    public synchronized int size() {
        return byId.size();
    }

    public synchronized void clear() {
        byId.clear();
        byUuid.clear();
        byDistinctId.clear();
        ids.set(0);
    }

    private void notifyChanged(UUID uuid) {
        Listener current = listener;
        if (current != null) {
            current.changed(uuid);
        }
    }
}
