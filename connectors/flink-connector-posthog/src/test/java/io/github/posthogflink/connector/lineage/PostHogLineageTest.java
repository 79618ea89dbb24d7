package io.github.posthogflink.connector.lineage;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.connector.sink.PostHogEventConverters;
import io.github.posthogflink.connector.sink.PostHogSink;
import io.github.posthogflink.connector.source.hogql.HogQLRowDeserializer;
import io.github.posthogflink.connector.source.hogql.HogQLSource;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.lineage.DatasetConfigFacet;
import org.apache.flink.streaming.api.lineage.LineageDataset;
import org.apache.flink.streaming.api.lineage.LineageGraph;
import org.apache.flink.streaming.api.lineage.SourceLineageVertex;
import org.apache.flink.streaming.api.lineage.TypeDatasetFacet;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lineage graph of a job that reads HogQL and writes to the sink (StreamGraph's, FLIP-314). */
class PostHogLineageTest {
    private static final String PROJECT_KEY = "phc_lineageProjectKey0123456789";
    private static final String PERSONAL_KEY = "phx_lineagePersonalKey0123456789";

    private static PostHogClientConfig config() {
        return PostHogClientConfig.builder()
                .host("https://eu.i.posthog.com/")
                .apiHost("https://eu.posthog.com")
                .projectApiKey(PROJECT_KEY)
                .personalApiKey(PERSONAL_KEY)
                .projectId("4242")
                .build();
    }

    private static LineageGraph lineageOfAJob(HogQLSource<String> source) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "hogql")
                .sinkTo(
                        PostHogSink.<String>builder()
                                .setClientConfig(config())
                                .setConverter(PostHogEventConverters.jsonStrings())
                                .setEventIdentity(json -> json)
                                .build())
                .name("posthog");
        return env.getStreamGraph().getLineageGraph();
    }

    @Test
    void aJobsLineageHasTheQueriedTableAndTheProjectsEventsOnTheirHosts() {
        LineageGraph graph =
                lineageOfAJob(
                        HogQLSource.<String>builder()
                                .client(config())
                                .incremental("uuid, timestamp", "events")
                                .deserializer(
                                        HogQLRowDeserializer.mapping(
                                                row -> (String) row.value(0), Types.STRING))
                                .build());

        assertThat(graph.sources()).hasSize(1);
        SourceLineageVertex source = graph.sources().get(0);
        assertThat(source.boundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(source.datasets())
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.namespace()).isEqualTo("https://eu.posthog.com");
                            assertThat(d.name()).isEqualTo("projects/4242/events");
                            assertThat(d.facets().values())
                                    .anySatisfy(
                                            f ->
                                                    assertThat(f)
                                                            .isInstanceOfSatisfying(
                                                                    TypeDatasetFacet.class,
                                                                    t ->
                                                                            assertThat(
                                                                                            t
                                                                                                    .getTypeInformation())
                                                                                    .isEqualTo(
                                                                                            Types
                                                                                                    .STRING)));
                        });
        assertThat(graph.sinks())
                .singleElement()
                .satisfies(
                        sink ->
                                assertThat(sink.datasets())
                                        .singleElement()
                                        .satisfies(
                                                d -> {
                                                    assertThat(d.namespace())
                                                            .isEqualTo("https://eu.i.posthog.com");
                                                    assertThat(d.name())
                                                            .isEqualTo("projects/4242/events");
                                                    assertThat(config(d).config())
                                                            .containsEntry("endpoint", "/batch/");
                                                }));
        assertThat(graph.relations()).hasSize(1);
        assertThat(graph.relations().get(0).source()).isSameAs(source);
        assertThat(graph.relations().get(0).sink()).isSameAs(graph.sinks().get(0));
        assertNoKeys(graph);
    }

    @Test
    void aSnapshotIsNamedByItsQueryAndBoundedness() {
        String query = "SELECT distinct_id, count() AS n FROM events GROUP BY distinct_id LIMIT 10";
        LineageGraph graph =
                lineageOfAJob(
                        HogQLSource.<String>builder()
                                .client(config())
                                .snapshot(query)
                                .bounded(true)
                                .queryName("daily-counts")
                                .deserializer(
                                        HogQLRowDeserializer.mapping(
                                                row -> (String) row.value(0), Types.STRING))
                                .build());

        SourceLineageVertex source = graph.sources().get(0);
        assertThat(source.boundedness()).isEqualTo(Boundedness.BOUNDED);
        LineageDataset dataset = source.datasets().get(0);
        assertThat(dataset.name()).isEqualTo("projects/4242/" + query);
        assertThat(config(dataset).config())
                .containsEntry("mode", "SNAPSHOT")
                .containsEntry("queryName", "daily-counts");
        assertNoKeys(graph);
    }

    @Test
    void theNamespaceIsTheHostWithoutUserInfoPathOrQuery() {
        assertThat(PostHogLineage.namespace("https://user:secret@eu.i.posthog.com/x?k=phc_1"))
                .isEqualTo("https://eu.i.posthog.com");
        assertThat(PostHogLineage.namespace("http://localhost:8010/"))
                .isEqualTo("http://localhost:8010");
        assertThat(PostHogLineage.name(null, "events")).isEqualTo("events");
    }

    private static DatasetConfigFacet config(LineageDataset dataset) {
        return (DatasetConfigFacet) dataset.facets().get(PostHogLineage.CONFIG_FACET);
    }

    /** No key in any name, namespace, facet name or setting of the graph. */
    private static void assertNoKeys(LineageGraph graph) {
        List<LineageDataset> datasets = new ArrayList<>();
        graph.sources().forEach(v -> datasets.addAll(v.datasets()));
        graph.sinks().forEach(v -> datasets.addAll(v.datasets()));
        assertThat(datasets).hasSize(2);
        StringBuilder text = new StringBuilder();
        for (LineageDataset d : datasets) {
            text.append(d.namespace()).append(' ').append(d.name()).append(' ');
            d.facets()
                    .forEach(
                            (name, facet) -> {
                                text.append(name).append(' ').append(facet).append(' ');
                                if (facet instanceof DatasetConfigFacet c) {
                                    text.append(c.config()).append(' ');
                                }
                            });
        }
        assertThat(text.toString())
                .doesNotContain(PROJECT_KEY)
                .doesNotContain(PERSONAL_KEY)
                .doesNotContain("phc_")
                .doesNotContain("phx_");
    }
}
