package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.PostHogHosts;
import io.github.posthogflink.connector.enrich.flags.EvaluationMode;
import io.github.posthogflink.connector.enrich.flags.FlagFailurePolicy;
import io.github.posthogflink.connector.enrich.persons.BudgetPolicy;
import io.github.posthogflink.connector.sink.CaptureEndpoint;
import io.github.posthogflink.connector.sink.PostHogSinkBuilder;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

import java.time.Duration;
import java.util.List;

/**
 * The options of the PostHog SQL connectors ({@code posthog}, {@code posthog-persons}, {@code
 * posthog-flags}, {@code posthog-hogql}); credentials and proxy options are in {@link
 * PostHogAccessOptions}. Key options contain {@code api-key}, which Flink treats as sensitive: it
 * masks them when it lists table options in an error message, but not in {@code SHOW CREATE TABLE},
 * a persisted catalog or {@code COMPILE PLAN} output. {@code 'credentials.provider' = 'ENV'} or
 * {@code 'FILE'} keeps keys out of the DDL.
 */
@PublicEvolving
public final class PostHogConnectorOptions {

    private PostHogConnectorOptions() {}

    // ---- common -------------------------------------------------------------------------------

    public static final ConfigOption<String> HOST =
            ConfigOptions.key("host")
                    .stringType()
                    .defaultValue(PostHogHosts.US_INGESTION)
                    .withDescription(
                            "PostHog ingestion host (capture, /flags, flag definitions), e.g."
                                    + " https://eu.i.posthog.com.");

    public static final ConfigOption<String> API_HOST =
            ConfigOptions.key("api-host")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Private API host; derived from host when absent (us.i.posthog.com ->"
                                    + " us.posthog.com, other hosts serve both).");

    public static final ConfigOption<String> PROJECT_API_KEY =
            ConfigOptions.key("project-api-key")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Project API key (phc_...). Required by the sink and flags.");

    public static final ConfigOption<String> PERSONAL_API_KEY =
            ConfigOptions.key("personal-api-key")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Personal API key (phx_...) for the private API: persons, HogQL, flag"
                                    + " definitions.");

    public static final ConfigOption<String> FLAGS_SECURE_API_KEY =
            ConfigOptions.key("flags-secure-api-key")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Feature flags secure API key (phs_...); preferred over the personal"
                                    + " key for flag definitions.");

    public static final ConfigOption<String> PROJECT_ID =
            ConfigOptions.key("project-id")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Project id, for /api/projects/:id/... endpoints.");

    public static final ConfigOption<Duration> CLIENT_CONNECT_TIMEOUT =
            ConfigOptions.key("client.connect-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("TCP connect timeout.");

    public static final ConfigOption<Duration> CLIENT_REQUEST_TIMEOUT =
            ConfigOptions.key("client.request-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("Whole-request timeout of one HTTP request.");

    public static final ConfigOption<Integer> CLIENT_MAX_CONNECTIONS =
            ConfigOptions.key("client.max-connections")
                    .intType()
                    .defaultValue(64)
                    .withDescription("Pooled keep-alive connections per client.");

    public static final ConfigOption<Integer> CLIENT_MAX_RETRIES =
            ConfigOptions.key("client.max-retries")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "Retries of a failed private-API request (5xx, 429 after Retry-After,"
                                    + " timeouts). The sink retries on its own, within"
                                    + " sink.delivery-timeout and sink.max-retries.");

    // ---- sink ---------------------------------------------------------------------------------

    public static final ConfigOption<Integer> SINK_BATCH_MAX_SIZE =
            ConfigOptions.key("sink.batch.max-size")
                    .intType()
                    .defaultValue(PostHogSinkBuilder.DEFAULT_MAX_BATCH_SIZE)
                    .withDescription("Events per /batch/ request.");

    public static final ConfigOption<Integer> SINK_REQUESTS_MAX_INFLIGHT =
            ConfigOptions.key("sink.requests.max-inflight")
                    .intType()
                    .defaultValue(PostHogSinkBuilder.DEFAULT_MAX_IN_FLIGHT_REQUESTS)
                    .withDescription("Concurrent requests per subtask.");

    public static final ConfigOption<Integer> SINK_REQUESTS_MAX_BUFFERED =
            ConfigOptions.key("sink.requests.max-buffered")
                    .intType()
                    .defaultValue(PostHogSinkBuilder.DEFAULT_MAX_BUFFERED_REQUESTS)
                    .withDescription("Events buffered per subtask before writes block.");

    public static final ConfigOption<MemorySize> SINK_FLUSH_BUFFER_SIZE =
            ConfigOptions.key("sink.flush-buffer.size")
                    .memoryType()
                    .defaultValue(MemorySize.parse("5mb"))
                    .withDescription(
                            "Bytes of event JSON per request (a plain number is bytes); below"
                                    + " PostHog's 20 MB.");

    public static final ConfigOption<Duration> SINK_FLUSH_BUFFER_TIMEOUT =
            ConfigOptions.key("sink.flush-buffer.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "Longest wait before a partial batch is sent (a plain number is"
                                    + " milliseconds).");

    public static final ConfigOption<MemorySize> SINK_MAX_RECORD_SIZE =
            ConfigOptions.key("sink.max-record-size")
                    .memoryType()
                    .defaultValue(
                            new MemorySize(PostHogSinkBuilder.DEFAULT_MAX_RECORD_SIZE_IN_BYTES))
                    .withDescription(
                            "Larger events are dead-lettered before sending (PostHog refuses"
                                    + " events over 1,000,000 bytes with a 413).");

    public static final ConfigOption<Boolean> SINK_HISTORICAL_MIGRATION =
            ConfigOptions.key("sink.historical-migration")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription("Send with historical_migration: true (backfills).");

    public static final ConfigOption<Boolean> SINK_GZIP =
            ConfigOptions.key("sink.gzip")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription("Gzip request bodies.");

    public static final ConfigOption<CaptureEndpoint> SINK_CAPTURE_ENDPOINT =
            ConfigOptions.key("sink.capture-endpoint")
                    .enumType(CaptureEndpoint.class)
                    .defaultValue(CaptureEndpoint.BATCH)
                    .withDescription(
                            "BATCH: many events per request to /batch/; SINGLE_EVENT: one event"
                                    + " per request to /i/v0/e/ (no sink.batch.max-size, no"
                                    + " historical migration).");

    public static final ConfigOption<Duration> SINK_DELIVERY_TIMEOUT =
            ConfigOptions.key("sink.delivery-timeout")
                    .durationType()
                    .defaultValue(PostHogSinkBuilder.DEFAULT_DELIVERY_TIMEOUT)
                    .withDescription(
                            "How long an event may keep failing with retryable errors before the"
                                    + " job fails (Kafka's delivery.timeout.ms); the restart"
                                    + " replays it from the last checkpoint.");

    public static final ConfigOption<Integer> SINK_MAX_RETRIES =
            ConfigOptions.key("sink.max-retries")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "Retries per event before the job fails; 0 fails at the first"
                                    + " retryable failure. Default: unbounded within"
                                    + " sink.delivery-timeout.");

    public static final ConfigOption<Duration> SINK_RETRY_BACKOFF_INITIAL =
            ConfigOptions.key("sink.retry.backoff.initial")
                    .durationType()
                    .defaultValue(PostHogSinkBuilder.DEFAULT_INITIAL_BACKOFF)
                    .withDescription("First delay before a failed request is retried.");

    public static final ConfigOption<Duration> SINK_RETRY_BACKOFF_MAX =
            ConfigOptions.key("sink.retry.backoff.max")
                    .durationType()
                    .defaultValue(PostHogSinkBuilder.DEFAULT_MAX_BACKOFF)
                    .withDescription("Longest delay between retries (doubling from the first).");

    /** What the sink does with events PostHog cannot take. */
    public enum ErrorHandling {
        FAIL,
        LOG_AND_CONTINUE,
        DEAD_LETTER_FILES
    }

    public static final ConfigOption<ErrorHandling> SINK_ERROR_HANDLING =
            ConfigOptions.key("sink.error-handling")
                    .enumType(ErrorHandling.class)
                    .defaultValue(ErrorHandling.FAIL)
                    .withDescription(
                            "Events PostHog refuses, oversized or malformed ones: FAIL (the job),"
                                    + " LOG_AND_CONTINUE, or DEAD_LETTER_FILES (JSON lines with"
                                    + " the reason, one file per subtask in"
                                    + " 'sink.dead-letter.path'). The kebab-case spellings"
                                    + " (log-and-continue) are deprecated aliases.");

    public static final ConfigOption<String> SINK_DEAD_LETTER_PATH =
            ConfigOptions.key("sink.dead-letter.path")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The directory of the dead-letter files (required with"
                                    + " 'sink.error-handling' = 'DEAD_LETTER_FILES'): each sink"
                                    + " subtask appends to posthog-dead-letters-<subtask>.ndjson.");

    // ---- persons lookup -----------------------------------------------------------------------

    /** What a {@code posthog-persons} table is looked up by. */
    public enum PersonsLookupKey {
        DISTINCT_ID,
        EMAIL,
        PROPERTY
    }

    public static final ConfigOption<PersonsLookupKey> PERSONS_LOOKUP_BY =
            ConfigOptions.key("persons.lookup-by")
                    .enumType(PersonsLookupKey.class)
                    .defaultValue(PersonsLookupKey.DISTINCT_ID)
                    .withDescription(
                            "DISTINCT_ID (join on column distinct_id), EMAIL (column email) or"
                                    + " PROPERTY (the column named by persons.property);"
                                    + " distinct-id is a deprecated alias.");

    public static final ConfigOption<String> PERSONS_PROPERTY =
            ConfigOptions.key("persons.property")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Person property to look up by when persons.lookup-by = PROPERTY; also"
                                    + " the name of the join column.");

    public static final ConfigOption<Duration> PERSONS_BATCH_WINDOW =
            ConfigOptions.key("persons.batch-window")
                    .durationType()
                    .defaultValue(Duration.ofMillis(10))
                    .withDescription("How long a batch of lookups collects keys.");

    public static final ConfigOption<Integer> PERSONS_MAX_BATCH_SIZE =
            ConfigOptions.key("persons.max-batch-size")
                    .intType()
                    .defaultValue(200)
                    .withDescription("Keys per request, 1..200.");

    public static final ConfigOption<BudgetPolicy> PERSONS_BUDGET_POLICY =
            ConfigOptions.key("persons.budget-policy")
                    .enumType(BudgetPolicy.class)
                    .defaultValue(BudgetPolicy.WAIT)
                    .withDescription(
                            "When the analytics budget cannot serve a lookup in time: WAIT,"
                                    + " EMIT_WITHOUT_PERSON (no match) or FAIL.");

    public static final ConfigOption<Double> PERSONS_BUDGET_SHARE =
            ConfigOptions.key("persons.budget-share")
                    .doubleType()
                    .defaultValue(1.0)
                    .withDescription(
                            "Fraction of the organization's analytics budget this table may use,"
                                    + " split across its subtasks.");

    public static final ConfigOption<String> PERSONS_BUDGET_WINDOWS =
            ConfigOptions.key("persons.budget-windows")
                    .stringType()
                    .defaultValue("240/1 min")
                    .withDescription(
                            "The budget of persons reads per personal API key before"
                                    + " persons.budget-share, as REQUESTS/DURATION windows"
                                    + " separated by ';'. Default: PostHog's throttle of"
                                    + " personal-key persons reads (240/min, no hourly cap).");

    public static final ConfigOption<Duration> PERSONS_TIMEOUT =
            ConfigOptions.key("persons.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "How long a lookup may wait for budget under EMIT_WITHOUT_PERSON and"
                                    + " FAIL.");

    // ---- flags lookup -------------------------------------------------------------------------

    public static final ConfigOption<List<String>> FLAGS_KEYS =
            ConfigOptions.key("flags.keys")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Flags to evaluate, separated by ';'. Default: the flag columns of the"
                                    + " table, or every flag when it has none.");

    public static final ConfigOption<EvaluationMode> FLAGS_MODE =
            ConfigOptions.key("flags.mode")
                    .enumType(EvaluationMode.class)
                    .defaultValue(EvaluationMode.LOCAL)
                    .withDescription(
                            "LOCAL: evaluate from polled definitions (needs personal-api-key or"
                                    + " flags-secure-api-key), /flags for what cannot be decided;"
                                    + " REMOTE: /flags for every lookup.");

    public static final ConfigOption<Boolean> FLAGS_ONLY_EVALUATE_LOCALLY =
            ConfigOptions.key("flags.only-evaluate-locally")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription("Never call /flags; undecided flags are left out.");

    public static final ConfigOption<Duration> FLAGS_POLL_INTERVAL =
            ConfigOptions.key("flags.poll-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("How often flag definitions are polled.");

    public static final ConfigOption<Duration> FLAGS_DEFINITIONS_WAIT_TIMEOUT =
            ConfigOptions.key("flags.definitions-wait-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "How long lookups wait for the first definitions before going remote.");

    public static final ConfigOption<Duration> FLAGS_REMOTE_CACHE_TTL =
            ConfigOptions.key("flags.remote-cache-ttl")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription("How long a /flags answer is reused; 0 disables the cache.");

    public static final ConfigOption<Duration> FLAGS_REMOTE_TIMEOUT =
            ConfigOptions.key("flags.remote-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("Time budget of one /flags lookup, retries included.");

    public static final ConfigOption<FlagFailurePolicy> FLAGS_FAILURE_POLICY =
            ConfigOptions.key("flags.failure-policy")
                    .enumType(FlagFailurePolicy.class)
                    .defaultValue(FlagFailurePolicy.EMIT_WITHOUT_FLAGS)
                    .withDescription(
                            "EMIT_WITHOUT_FLAGS: the row carries the flags that were decided"
                                    + " (complete = false); FAIL: the job fails.");
}
