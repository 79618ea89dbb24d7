package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.connector.enrich.persons.PersonLookupOptions;
import io.github.posthogflink.connector.table.PostHogConnectorOptions.PersonsLookupKey;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.RowType;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PERSONAL_API_KEY;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PERSONS_BATCH_WINDOW;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PERSONS_BUDGET_POLICY;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PERSONS_BUDGET_SHARE;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PERSONS_LOOKUP_BY;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PERSONS_MAX_BATCH_SIZE;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PERSONS_PROPERTY;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PERSONS_TIMEOUT;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PROJECT_ID;

/**
 * Factory of the {@code posthog-persons} lookup table. Caching follows Flink's lookup options
 * ({@code lookup.cache = NONE | PARTIAL}, {@code lookup.partial-cache.*}); the engine's own cache
 * keeps an answer for {@link #ENGINE_CACHE_TTL} only, to bridge the moment between a response and
 * Flink's cache taking it (so a burst of lookups of one key costs one request).
 */
public final class PersonsLookupTableFactory implements DynamicTableSourceFactory {

    public static final String IDENTIFIER = "posthog-persons";

    /** How long the engine keeps an answer; Flink's lookup cache is the real cache. */
    public static final Duration ENGINE_CACHE_TTL = Duration.ofSeconds(1);

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(PERSONAL_API_KEY, PROJECT_ID);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>(PostHogTableConfigs.commonOptions());
        options.removeAll(requiredOptions());
        options.addAll(
                Set.of(
                        PERSONS_LOOKUP_BY,
                        PERSONS_PROPERTY,
                        PERSONS_BATCH_WINDOW,
                        PERSONS_MAX_BATCH_SIZE,
                        PERSONS_BUDGET_POLICY,
                        PERSONS_BUDGET_SHARE,
                        PERSONS_TIMEOUT,
                        LookupOptions.MAX_RETRIES));
        options.addAll(PostHogTableConfigs.lookupCacheOptions());
        return options;
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        PostHogClientConfig clientConfig = PostHogTableConfigs.clientConfig(options);
        if (options.get(LookupOptions.MAX_RETRIES) < 0) {
            throw new ValidationException(
                    "Option '" + LookupOptions.MAX_RETRIES.key() + "' must be >= 0.");
        }
        String keyColumn = keyColumn(options);
        RowType rowType = (RowType) context.getPhysicalRowDataType().getLogicalType();
        PersonRowConverter rows = new PersonRowConverter(rowType, keyColumn);
        return new PersonsLookupTableSource(
                lookupOptions(options, clientConfig),
                rows,
                options.get(LookupOptions.MAX_RETRIES),
                PostHogTableConfigs.lookupCache(options, IDENTIFIER));
    }

    private static String keyColumn(ReadableConfig options) {
        return switch (options.get(PERSONS_LOOKUP_BY)) {
            case DISTINCT_ID -> "distinct_id";
            case EMAIL -> "email";
            case PROPERTY ->
                    PostHogTableConfigs.require(
                            options, PERSONS_PROPERTY, "when 'persons.lookup-by' is 'property'");
        };
    }

    private static PersonLookupOptions lookupOptions(
            ReadableConfig options, PostHogClientConfig clientConfig) {
        PersonLookupOptions.Builder builder =
                PersonLookupOptions.builder(clientConfig)
                        .batchWindow(options.get(PERSONS_BATCH_WINDOW))
                        .maxBatchSize(options.get(PERSONS_MAX_BATCH_SIZE))
                        .budgetPolicy(options.get(PERSONS_BUDGET_POLICY))
                        .budgetShare(options.get(PERSONS_BUDGET_SHARE))
                        .timeout(options.get(PERSONS_TIMEOUT))
                        .cacheTtl(ENGINE_CACHE_TTL)
                        .negativeCacheTtl(ENGINE_CACHE_TTL);
        PersonsLookupKey by = options.get(PERSONS_LOOKUP_BY);
        switch (by) {
            case DISTINCT_ID -> builder.byDistinctId();
            case EMAIL -> builder.byEmail();
            case PROPERTY -> builder.byProperty(options.get(PERSONS_PROPERTY));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Invalid posthog-persons options: " + e.getMessage(), e);
        }
    }
}
