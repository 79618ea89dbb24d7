package io.github.posthogflink.connector.table;

import io.github.posthogflink.connector.enrich.persons.PersonLookupOptions;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.LookupTableSource;
import org.apache.flink.table.connector.source.lookup.AsyncLookupFunctionProvider;
import org.apache.flink.table.connector.source.lookup.PartialCachingAsyncLookupProvider;
import org.apache.flink.table.connector.source.lookup.cache.LookupCache;

import javax.annotation.Nullable;

import java.time.Duration;

/**
 * The {@code posthog-persons} lookup table: {@code JOIN persons FOR SYSTEM_TIME AS OF e.proc_time
 * ON e.distinct_id = persons.distinct_id}. Joins on the lookup key column only.
 */
final class PersonsLookupTableSource implements LookupTableSource {

    private final PersonLookupOptions options;
    private final PersonRowConverter rows;
    private final int maxRetries;
    @Nullable private final LookupCache cache;
    private final Duration asyncTimeout;

    PersonsLookupTableSource(
            PersonLookupOptions options,
            PersonRowConverter rows,
            int maxRetries,
            @Nullable LookupCache cache,
            Duration asyncTimeout) {
        this.options = options;
        this.rows = rows;
        this.maxRetries = maxRetries;
        this.cache = cache;
        this.asyncTimeout = asyncTimeout;
    }

    @Override
    public LookupRuntimeProvider getLookupRuntimeProvider(LookupContext context) {
        int[][] keys = context.getKeys();
        if (keys.length != 1 || keys[0].length != 1 || keys[0][0] != rows.keyPosition()) {
            throw new ValidationException(
                    "A posthog-persons table can only be joined on its column '"
                            + rows.keyColumn()
                            + "' (an equality on that one column).");
        }
        PersonsAsyncLookupFunction function =
                new PersonsAsyncLookupFunction(options, rows, maxRetries, asyncTimeout);
        return cache == null
                ? AsyncLookupFunctionProvider.of(function)
                : PartialCachingAsyncLookupProvider.of(function, cache);
    }

    @Override
    public DynamicTableSource copy() {
        return new PersonsLookupTableSource(options, rows, maxRetries, cache, asyncTimeout);
    }

    @Override
    public String asSummaryString() {
        return "PostHog persons";
    }
}
