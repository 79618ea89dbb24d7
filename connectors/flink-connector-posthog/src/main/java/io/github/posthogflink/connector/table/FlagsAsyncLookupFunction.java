package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.connector.enrich.flags.FeatureFlagResultEnricher;
import io.github.posthogflink.connector.enrich.flags.FlagEnrichedEvent;
import io.github.posthogflink.connector.enrich.flags.FlagEnrichmentOptions;
import io.github.posthogflink.connector.enrich.flags.FlagEventAccessor;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.streaming.api.functions.async.CollectionSupplier;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.AsyncLookupFunction;
import org.apache.flink.table.functions.FunctionContext;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The lookup function of a {@code posthog-flags} table: evaluates the flags of a distinct id (and
 * its groups) with the flag enrichment's engine: local evaluation from polled definitions, {@code
 * /flags} for what it cannot decide. One row per lookup.
 */
@Internal
public final class FlagsAsyncLookupFunction extends AsyncLookupFunction {
    private static final long serialVersionUID = 1L;

    /** The subject of one lookup. */
    record Subject(String distinctId, Map<String, String> groups, StringData groupsText) {}

    private final FeatureFlagResultEnricher<Subject> enricher;
    private final FlagRowConverter rows;
    private final int distinctIdKey;
    private final int groupsKey;

    /**
     * @param distinctIdKey position of distinct_id in the lookup key row
     * @param groupsKey position of groups in the lookup key row, or -1
     */
    FlagsAsyncLookupFunction(
            FlagEnrichmentOptions options,
            FlagRowConverter rows,
            int distinctIdKey,
            int groupsKey) {
        this.rows = rows;
        this.distinctIdKey = distinctIdKey;
        this.groupsKey = groupsKey;
        this.enricher =
                FeatureFlagResultEnricher.create(
                        options,
                        FlagEventAccessor.<Subject>of(
                                        Subject::distinctId,
                                        subject -> Map.of(),
                                        (subject, properties) -> subject)
                                .withGroups(Subject::groups));
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        enricher.setRuntimeContext(LookupRuntimeContexts.of(context));
        enricher.open(DefaultOpenContext.INSTANCE);
    }

    @Override
    public CompletableFuture<Collection<RowData>> asyncLookup(RowData keyRow) {
        LookupKeys.ownStrings(keyRow);
        if (keyRow.isNullAt(distinctIdKey)
                || keyRow.getString(distinctIdKey).toString().isBlank()) {
            return CompletableFuture.completedFuture(List.of());
        }
        StringData groupsText =
                groupsKey >= 0 && !keyRow.isNullAt(groupsKey) ? keyRow.getString(groupsKey) : null;
        Map<String, String> groups;
        try {
            groups = groups(groupsText);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("groups is not a JSON object of type to key"));
        }
        Subject subject =
                new Subject(keyRow.getString(distinctIdKey).toString(), groups, groupsText);
        CompletableFuture<Collection<RowData>> result = new CompletableFuture<>();
        enricher.asyncInvoke(subject, new Answer(result));
        return result;
    }

    private static Map<String, String> groups(StringData text) {
        if (text == null || text.toString().isBlank()) {
            return Map.of();
        }
        JsonNode node = Json.tree(text.toBytes());
        Map<String, String> groups = new TreeMap<>();
        node.fields().forEachRemaining(e -> groups.put(e.getKey(), e.getValue().asText()));
        return groups;
    }

    @Override
    public void close() throws Exception {
        enricher.close();
    }

    /** Completes a lookup with the enricher's answer. */
    private final class Answer implements ResultFuture<FlagEnrichedEvent<Subject>> {
        private final CompletableFuture<Collection<RowData>> result;

        Answer(CompletableFuture<Collection<RowData>> result) {
            this.result = result;
        }

        @Override
        public void complete(Collection<FlagEnrichedEvent<Subject>> outputs) {
            List<RowData> out = new ArrayList<>();
            for (FlagEnrichedEvent<Subject> output : outputs) {
                Subject subject = output.event();
                out.add(
                        rows.toRow(
                                subject.distinctId(),
                                subject.groupsText(),
                                output.flags(),
                                output.complete()));
            }
            result.complete(out);
        }

        @Override
        public void completeExceptionally(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void complete(CollectionSupplier<FlagEnrichedEvent<Subject>> supplier) {
            try {
                complete(supplier.get());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        }
    }
}
