package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.ratelimit.RateLimitClass.Window;
import io.github.posthogflink.connector.enrich.persons.BudgetPolicy;
import io.github.posthogflink.connector.enrich.persons.PersonLookupOptions;
import io.github.posthogflink.connector.table.PostHogConnectorOptions.PersonsLookupKey;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.config.ExecutionConfigOptions;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.TimeUtils;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PERSONAL_API_KEY;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PERSONS_BATCH_WINDOW;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PERSONS_BUDGET_POLICY;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PERSONS_BUDGET_SHARE;
import static io.github.posthogflink.connector.table.PostHogConnectorOptions.PERSONS_BUDGET_WINDOWS;
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
@PublicEvolving
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
        // The key option too under credentials.provider = INLINE (checked on creation).
        return Set.of(PROJECT_ID);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>(PostHogTableConfigs.commonOptions());
        options.removeAll(requiredOptions());
        options.addAll(
                Set.of(
                        EnumOptions.lenient(PERSONS_LOOKUP_BY),
                        PERSONS_PROPERTY,
                        PERSONS_BATCH_WINDOW,
                        PERSONS_MAX_BATCH_SIZE,
                        PERSONS_BUDGET_POLICY,
                        PERSONS_BUDGET_SHARE,
                        PERSONS_BUDGET_WINDOWS,
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
        PostHogTableConfigs.requireKey(options, PERSONAL_API_KEY);
        PostHogClientConfig clientConfig = PostHogTableConfigs.clientConfig(options);
        if (options.get(LookupOptions.MAX_RETRIES) < 0) {
            throw new ValidationException(
                    "Option '" + LookupOptions.MAX_RETRIES.key() + "' must be >= 0.");
        }
        String keyColumn = keyColumn(options);
        RowType rowType = (RowType) context.getPhysicalRowDataType().getLogicalType();
        PersonRowConverter rows = new PersonRowConverter(rowType, keyColumn);
        PersonLookupOptions lookup = lookupOptions(options, clientConfig);
        Duration asyncTimeout =
                context.getConfiguration()
                        .get(ExecutionConfigOptions.TABLE_EXEC_ASYNC_LOOKUP_TIMEOUT);
        requireWaitWithinTheAsyncTimeout(lookup, asyncTimeout);
        return new PersonsLookupTableSource(
                lookup,
                rows,
                options.get(LookupOptions.MAX_RETRIES),
                PostHogTableConfigs.lookupCache(options, IDENTIFIER),
                asyncTimeout);
    }

    /** The longest budget window: how long a lookup may wait for its permit under WAIT. */
    static Duration longestWindow(PersonLookupOptions options) {
        Duration longest = Duration.ZERO;
        for (Window w : options.budgetWindows()) {
            longest = w.period().compareTo(longest) > 0 ? w.period() : longest;
        }
        return longest;
    }

    /**
     * Flink fails the job when a lookup outlasts {@code table.exec.async-lookup.timeout}. Under
     * WAIT a lookup waits at most one budget window for its permit (keys join the batch that waits
     * for it), so a window that long or longer is refused here, before the job runs, instead of
     * failing it later, restarting it and failing again.
     */
    private static void requireWaitWithinTheAsyncTimeout(
            PersonLookupOptions options, Duration asyncTimeout) {
        Duration window = longestWindow(options);
        if (options.budgetPolicy() == BudgetPolicy.WAIT && window.compareTo(asyncTimeout) >= 0) {
            throw new ValidationException(
                    "Under '"
                            + PERSONS_BUDGET_POLICY.key()
                            + "' = 'WAIT' a lookup may wait up to "
                            + TimeUtils.formatWithHighestUnit(window)
                            + " for budget ('"
                            + PERSONS_BUDGET_WINDOWS.key()
                            + "'), not less than Flink's '"
                            + ExecutionConfigOptions.TABLE_EXEC_ASYNC_LOOKUP_TIMEOUT.key()
                            + "' ("
                            + TimeUtils.formatWithHighestUnit(asyncTimeout)
                            + "), after which Flink fails the job. Raise the timeout (or the"
                            + " LOOKUP hint's 'timeout'), use shorter windows, or choose"
                            + " EMIT_WITHOUT_PERSON or FAIL.");
        }
    }

    /**
     * {@code persons.budget-windows}: {@code REQUESTS/DURATION} entries, e.g. {@code 240/1 min}.
     */
    static Window[] budgetWindows(String text) {
        List<String> specs =
                Arrays.stream(text.split(";")).map(String::trim).filter(w -> !w.isEmpty()).toList();
        if (specs.isEmpty()) {
            throw invalidWindows("at least one window is needed");
        }
        Window[] windows = new Window[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            String spec = specs.get(i).trim();
            int slash = spec.indexOf('/');
            if (slash < 1) {
                throw invalidWindows("'" + spec + "' is not REQUESTS/DURATION");
            }
            try {
                windows[i] =
                        new Window(
                                Integer.parseInt(spec.substring(0, slash).trim()),
                                TimeUtils.parseDuration(spec.substring(slash + 1).trim()));
            } catch (IllegalArgumentException e) {
                throw invalidWindows("'" + spec + "': " + e.getMessage());
            }
        }
        return windows;
    }

    private static ValidationException invalidWindows(String why) {
        return new ValidationException(
                "Option '" + PERSONS_BUDGET_WINDOWS.key() + "' is invalid: " + why + ".");
    }

    private static String keyColumn(ReadableConfig options) {
        return switch (EnumOptions.get(options, PERSONS_LOOKUP_BY)) {
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
                        .budgetWindows(budgetWindows(options.get(PERSONS_BUDGET_WINDOWS)))
                        .timeout(options.get(PERSONS_TIMEOUT))
                        .cacheTtl(ENGINE_CACHE_TTL)
                        .negativeCacheTtl(ENGINE_CACHE_TTL);
        PersonsLookupKey by = EnumOptions.get(options, PERSONS_LOOKUP_BY);
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
