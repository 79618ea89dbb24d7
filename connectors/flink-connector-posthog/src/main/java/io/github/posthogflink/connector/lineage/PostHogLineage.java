package io.github.posthogflink.connector.lineage;

import org.apache.flink.annotation.Internal;
import org.apache.flink.streaming.api.lineage.DatasetConfigFacet;
import org.apache.flink.streaming.api.lineage.LineageDataset;
import org.apache.flink.streaming.api.lineage.LineageDatasetFacet;
import org.apache.flink.streaming.api.lineage.LineageUtils;

import javax.annotation.Nullable;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The datasets the connector reports in Flink's lineage graph (FLIP-314), as flink-connector-kafka
 * and -jdbc do: the namespace is the PostHog host URL (scheme, host and port; never user info, a
 * path or a query), the name what is read or written in the project ({@code projects/<id>/events},
 * or {@code events} when the project id is not configured). Facets carry settings, never a key.
 */
@Internal
public final class PostHogLineage {
    /** The name of the facet of settings ({@link DatasetConfigFacet}). */
    public static final String CONFIG_FACET = "config";

    private PostHogLineage() {}

    /** The namespace of a host URL: {@code https://eu.i.posthog.com}. */
    public static String namespace(String hostUrl) {
        URI uri = URI.create(hostUrl.trim());
        if (uri.getScheme() == null || uri.getHost() == null) {
            return hostUrl.replaceAll("/+$", "");
        }
        return uri.getScheme()
                + "://"
                + uri.getHost()
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /** A dataset of the project: {@code projects/<id>/<what>}, or {@code <what>} without id. */
    public static String name(@Nullable String projectId, String what) {
        return projectId == null || projectId.isBlank()
                ? what
                : "projects/" + projectId + "/" + what;
    }

    /** The dataset, with a config facet of {@code settings} and any further facets. */
    public static LineageDataset dataset(
            String namespace,
            String name,
            Map<String, String> settings,
            LineageDatasetFacet... facets) {
        List<LineageDatasetFacet> all = new ArrayList<>(List.of(facets));
        all.add(new ConfigFacet(new LinkedHashMap<>(settings)));
        return LineageUtils.datasetOf(name, namespace, all);
    }

    private record ConfigFacet(Map<String, String> config) implements DatasetConfigFacet {
        @Override
        public String name() {
            return CONFIG_FACET;
        }
    }
}
