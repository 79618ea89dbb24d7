package io.github.posthogflink.connector.enrich.persons;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import java.util.concurrent.TimeUnit;

/** Wires a {@link PersonLookup} into a stream. */
@PublicEvolving
public final class PersonEnrichment {
    private PersonEnrichment() {}

    /**
     * Keys the stream by its lookup key (so each key is cached on one subtask) and enriches it,
     * unordered, with {@code options.asyncCapacity()} elements in flight per subtask.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T> SingleOutputStreamOperator<EnrichedWithPerson<T>> enrich(
            DataStream<T> input,
            PersonLookup.KeyExtractor<T> keyExtractor,
            PersonLookupOptions options) {
        TypeInformation<EnrichedWithPerson<T>> type =
                (TypeInformation) Types.GENERIC(EnrichedWithPerson.class);
        return apply(
                        input.keyBy(e -> keyOrEmpty(keyExtractor, e), Types.STRING),
                        PersonLookup.enriching(options, keyExtractor),
                        options)
                .returns(type);
    }

    /** Applies any {@link PersonLookup} without re-keying, with the timeout its policy needs. */
    public static <I, O> SingleOutputStreamOperator<O> apply(
            DataStream<I> input, PersonLookup<I, O> lookup, PersonLookupOptions options) {
        return AsyncDataStream.unorderedWait(
                input,
                lookup,
                asyncTimeoutMillis(options),
                TimeUnit.MILLISECONDS,
                options.asyncCapacity());
    }

    /**
     * Flink's timeout for one element: none under WAIT (the budget decides), else the lookup
     * timeout plus time for the request and its retries.
     */
    public static long asyncTimeoutMillis(PersonLookupOptions options) {
        if (options.budgetPolicy() == BudgetPolicy.WAIT) {
            return 0;
        }
        long request = options.clientConfig().requestTimeout().toMillis();
        int attempts = options.clientConfig().retryPolicy().maxRetries() + 1;
        return options.timeout().toMillis() + request * attempts;
    }

    private static <T> String keyOrEmpty(PersonLookup.KeyExtractor<T> extractor, T element) {
        String key = extractor.keyOf(element);
        return key == null ? "" : key;
    }
}
