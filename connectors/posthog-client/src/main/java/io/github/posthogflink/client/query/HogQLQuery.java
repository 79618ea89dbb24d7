package io.github.posthogflink.client.query;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A query for PostHog's query API. {@code kind} is {@code HogQLQuery}, {@code EventsQuery} or
 * {@code ActorsQuery}; the other fields are the kind's own ({@code query} and {@code values} for
 * HogQL; {@code select}, {@code where}, {@code orderBy}, {@code limit}, … for the others).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class HogQLQuery implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, Object> fields = new LinkedHashMap<>();

    private HogQLQuery(String kind) {
        fields.put("kind", kind);
    }

    /** A HogQL query; placeholders like {@code {since}} take their value from {@link #value}. */
    public static HogQLQuery hogql(String query) {
        HogQLQuery q = new HogQLQuery("HogQLQuery");
        q.fields.put("query", query);
        return q;
    }

    /** An {@code EventsQuery}: {@code select} columns plus optional where/orderBy/limit fields. */
    public static HogQLQuery events(List<String> select) {
        HogQLQuery q = new HogQLQuery("EventsQuery");
        q.fields.put("select", select);
        return q;
    }

    /**
     * An {@code ActorsQuery} over persons. Without {@code select} PostHog answers {@code person}
     * (the person as an object), {@code id} and {@code person.$delete}; {@code search} (set with
     * {@link #field}) matches the email or name property, the person id, or a distinct id.
     */
    public static HogQLQuery actors(@Nullable List<String> select) {
        HogQLQuery q = new HogQLQuery("ActorsQuery");
        if (select != null) {
            q.fields.put("select", select);
        }
        return q;
    }

    /**
     * PostHog removed {@code PersonsQuery} from its query kinds and refuses it (400); this now
     * builds the {@link #actors ActorsQuery} that replaced it, whose default columns and search
     * differ.
     *
     * @deprecated use {@link #actors}
     */
    @Deprecated
    public static HogQLQuery persons(@Nullable List<String> select) {
        return actors(select);
    }

    /** Sets a placeholder value ({@code values.name}). */
    @SuppressWarnings("unchecked")
    public HogQLQuery value(String name, Object value) {
        ((Map<String, Object>) fields.computeIfAbsent("values", k -> new LinkedHashMap<>()))
                .put(name, value);
        return this;
    }

    /** Sets any other field of the query kind, e.g. {@code where} or {@code limit}. */
    public HogQLQuery field(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    @JsonProperty("kind")
    public String kind() {
        return (String) fields.get("kind");
    }

    @JsonAnyGetter
    public Map<String, Object> fields() {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.remove("kind");
        return copy;
    }
}
