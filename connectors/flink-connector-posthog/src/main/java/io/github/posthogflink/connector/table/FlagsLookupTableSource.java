package io.github.posthogflink.connector.table;

import io.github.posthogflink.connector.enrich.flags.FlagEnrichmentOptions;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.LookupTableSource;
import org.apache.flink.table.connector.source.lookup.AsyncLookupFunctionProvider;
import org.apache.flink.table.connector.source.lookup.PartialCachingAsyncLookupProvider;
import org.apache.flink.table.connector.source.lookup.cache.LookupCache;

import javax.annotation.Nullable;

/**
 * The {@code posthog-flags} lookup table: {@code JOIN flags FOR SYSTEM_TIME AS OF e.proc_time ON
 * e.distinct_id = flags.distinct_id [AND e.groups = flags.groups]}.
 */
final class FlagsLookupTableSource implements LookupTableSource {

    private final FlagEnrichmentOptions options;
    private final FlagRowConverter rows;
    @Nullable private final LookupCache cache;

    FlagsLookupTableSource(
            FlagEnrichmentOptions options, FlagRowConverter rows, @Nullable LookupCache cache) {
        this.options = options;
        this.rows = rows;
        this.cache = cache;
    }

    @Override
    public LookupRuntimeProvider getLookupRuntimeProvider(LookupContext context) {
        int distinctIdKey = -1;
        int groupsKey = -1;
        int[][] keys = context.getKeys();
        for (int k = 0; k < keys.length; k++) {
            int column = keys[k].length == 1 ? keys[k][0] : -1;
            if (column >= 0 && column == rows.distinctIdPosition()) {
                distinctIdKey = k;
            } else if (column >= 0 && column == rows.groupsPosition()) {
                groupsKey = k;
            } else {
                distinctIdKey = -1;
                break;
            }
        }
        if (distinctIdKey < 0) {
            throw new ValidationException(
                    "A posthog-flags table can only be joined on 'distinct_id' and optionally"
                            + " 'groups' (equalities).");
        }
        FlagsAsyncLookupFunction function =
                new FlagsAsyncLookupFunction(options, rows, distinctIdKey, groupsKey);
        return cache == null
                ? AsyncLookupFunctionProvider.of(function)
                : PartialCachingAsyncLookupProvider.of(function, cache);
    }

    @Override
    public DynamicTableSource copy() {
        return new FlagsLookupTableSource(options, rows, cache);
    }

    @Override
    public String asSummaryString() {
        return "PostHog flags";
    }
}
