package io.github.posthogflink.jobs.enrich;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.client.persons.Person;
import io.github.posthogflink.connector.enrich.persons.BudgetPolicy;
import io.github.posthogflink.connector.enrich.persons.PersonEnrichment;
import io.github.posthogflink.connector.enrich.persons.PersonLookup;
import io.github.posthogflink.connector.enrich.persons.PersonLookupOptions;
import io.github.posthogflink.connector.enrich.persons.PersonLookupResult;
import io.github.posthogflink.jobs.pipeline.PipelineEvent;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Adds the top-level {@code person} object (id, uuid, distinct_ids, properties) to each event, or
 * {@code null} when PostHog has none; through the connector's {@link PersonLookup} (batched,
 * cached, within the analytics budget).
 */
public final class PersonAttacher {
    private PersonAttacher() {}

    public static DataStream<PipelineEvent> attach(
            DataStream<PipelineEvent> events, PostHogClientConfig client) {
        PersonLookupOptions options =
                PersonLookupOptions.builder(client)
                        .byDistinctId()
                        .budgetPolicy(BudgetPolicy.WAIT)
                        .build();
        PersonLookup<PipelineEvent, PipelineEvent> lookup =
                new PersonLookup<>(options, PipelineEvent::distinctId, PersonAttacher::withPerson);
        return PersonEnrichment.apply(
                        events.keyBy(PipelineEvent::distinctId, Types.STRING), lookup, options)
                .returns(TypeInformation.of(PipelineEvent.class))
                .name("persons")
                .uid("persons");
    }

    static PipelineEvent withPerson(PipelineEvent event, PersonLookupResult result) {
        ObjectNode json = JsonEvents.parse(event.json());
        json.set("person", result.person().map(PersonAttacher::toJson).orElse(null));
        return event.withJson(json.toString());
    }

    static ObjectNode toJson(Person person) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", person.id());
        out.put("uuid", person.uuid());
        out.set("distinct_ids", Json.MAPPER.valueToTree(person.distinctIds()));
        out.set("properties", Json.MAPPER.valueToTree(person.properties()));
        return out;
    }
}
