package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.PostHogCredentials;
import io.github.posthogflink.connector.enrich.flags.EvaluationMode;
import io.github.posthogflink.connector.enrich.flags.FlagEnrichmentOptions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.RowType;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.github.posthogflink.connector.table.PostHogConnectorOptions.FLAGS_DEFINITIONS_WAIT_TIMEOUT;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.FLAGS_FAILURE_POLICY;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.FLAGS_KEYS;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.FLAGS_MODE;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.FLAGS_ONLY_EVALUATE_LOCALLY;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.FLAGS_POLL_INTERVAL;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.FLAGS_REMOTE_CACHE_TTL;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.FLAGS_REMOTE_TIMEOUT;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.FLAGS_SECURE_API_KEY;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PERSONAL_API_KEY;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PROJECT_API_KEY;

/**
 * Factory of the {@code posthog-flags} lookup table: a distinct id (and optionally its groups) to
 * its feature flags, evaluated as the flag enrichment does.
 */
@PublicEvolving
public final class FlagsLookupTableFactory implements DynamicTableSourceFactory {

    public static final String IDENTIFIER = "posthog-flags";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        // The key option too under credentials.provider = INLINE (checked on creation).
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>(PostHogTableConfigs.commonOptions());
        options.addAll(
                Set.of(
                        FLAGS_KEYS,
                        FLAGS_MODE,
                        FLAGS_ONLY_EVALUATE_LOCALLY,
                        FLAGS_POLL_INTERVAL,
                        FLAGS_DEFINITIONS_WAIT_TIMEOUT,
                        FLAGS_REMOTE_CACHE_TTL,
                        FLAGS_REMOTE_TIMEOUT,
                        FLAGS_FAILURE_POLICY,
                        LookupOptions.MAX_RETRIES));
        options.addAll(PostHogTableConfigs.lookupCacheOptions());
        return options;
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        PostHogTableConfigs.requireKey(options, PROJECT_API_KEY);
        PostHogClientConfig clientConfig = PostHogTableConfigs.clientConfig(options);
        if (options.get(FLAGS_MODE) == EvaluationMode.LOCAL
                && !clientConfig.mayHave(PostHogCredentials.Key.PERSONAL_API_KEY)
                && !clientConfig.mayHave(PostHogCredentials.Key.FLAGS_SECURE_API_KEY)) {
            throw new ValidationException(
                    "'flags.mode' LOCAL needs '"
                            + PERSONAL_API_KEY.key()
                            + "' or '"
                            + FLAGS_SECURE_API_KEY.key()
                            + "' to read flag definitions (or use 'flags.mode' = 'remote').");
        }
        Integer maxRetries = options.getOptional(LookupOptions.MAX_RETRIES).orElse(null);
        if (maxRetries != null && maxRetries < 0) {
            throw new ValidationException(
                    "Option '" + LookupOptions.MAX_RETRIES.key() + "' must be >= 0.");
        }
        RowType rowType = (RowType) context.getPhysicalRowDataType().getLogicalType();
        FlagRowConverter rows = new FlagRowConverter(rowType);
        List<String> keys = options.getOptional(FLAGS_KEYS).orElse(rows.flagColumns());
        FlagEnrichmentOptions flagOptions;
        try {
            flagOptions =
                    FlagEnrichmentOptions.builder(clientConfig)
                            .flagKeys(keys.isEmpty() ? null : keys)
                            .mode(options.get(FLAGS_MODE))
                            .onlyEvaluateLocally(options.get(FLAGS_ONLY_EVALUATE_LOCALLY))
                            .pollInterval(options.get(FLAGS_POLL_INTERVAL))
                            .definitionsWaitTimeout(options.get(FLAGS_DEFINITIONS_WAIT_TIMEOUT))
                            .remoteCacheTtl(options.get(FLAGS_REMOTE_CACHE_TTL))
                            .remoteTimeout(options.get(FLAGS_REMOTE_TIMEOUT))
                            .failurePolicy(options.get(FLAGS_FAILURE_POLICY))
                            .remoteMaxRetries(maxRetries)
                            .build();
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Invalid posthog-flags options: " + e.getMessage(), e);
        }
        return new FlagsLookupTableSource(
                flagOptions, rows, PostHogTableConfigs.lookupCache(options, IDENTIFIER));
    }
}
