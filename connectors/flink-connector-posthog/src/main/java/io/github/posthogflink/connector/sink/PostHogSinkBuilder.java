package io.github.posthogflink.connector.sink;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.client.PostHogCredentials;
import io.github.posthogflink.client.PostHogHosts;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.connector.base.sink.AsyncSinkBaseBuilder;

import javax.annotation.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a {@link PostHogSink}. Besides AsyncSink's batching knobs ({@code setMaxBatchSize} and
 * friends, defaults below), it needs the project API key and a converter; events without their own
 * uuid also need an {@link EventIdentity} (or an explicit opt-in to random uuids).
 */
@PublicEvolving
public class PostHogSinkBuilder<T>
        extends AsyncSinkBaseBuilder<T, PostHogRequestEntry, PostHogSinkBuilder<T>> {

    /**
     * Events per request. Larger batches cost less CPU per event on both sides (measured: 2,000 vs
     * 500, 10-15% more events/s in the sink benchmark); a batch of typical events is well under 1
     * MB.
     */
    public static final int DEFAULT_MAX_BATCH_SIZE = 2_000;

    public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS = 4;
    public static final int DEFAULT_MAX_BUFFERED_REQUESTS = 10_000;
    public static final long DEFAULT_MAX_BATCH_SIZE_IN_BYTES = 5L * 1024 * 1024;
    public static final long DEFAULT_MAX_TIME_IN_BUFFER_MS = 1_000;

    /**
     * Just under the largest event PostHog takes: {@code rust/capture} hands each event to Kafka as
     * one message of at most 1,000,000 bytes ({@code KAFKA_PRODUCER_MESSAGE_MAX_BYTES}), the
     * event's JSON as a string (quotes escaped) inside an envelope of a few hundred bytes, and
     * answers 413 for the request when one is larger. 10,000 bytes are left for the envelope and
     * the escaping; an event PostHog still refuses is bisected out and handed to the error handler.
     */
    public static final long DEFAULT_MAX_RECORD_SIZE_IN_BYTES = 990_000;

    /** PostHog refuses {@code /batch/} bodies above 20 MB (decompressed); keep room for framing. */
    public static final long MAX_BATCH_SIZE_IN_BYTES_LIMIT = 20L * 1024 * 1024 - 64 * 1024;

    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 5 * 60_000;

    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofMinutes(10);

    /**
     * Short: a lone 503 or reset from capture is one moment of one pod, and a longer first wait
     * costs a loopback sink a third of its throughput under 10 % of them. It doubles per failure of
     * the batch, and over everyone's consecutive failures while failures are sustained.
     */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(25);

    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);

    private String host = PostHogHosts.US_INGESTION;
    @Nullable private String projectApiKey;
    @Nullable private PostHogClientConfig clientConfig;
    @Nullable private PostHogEventConverter<T> converter;
    @Nullable private EventIdentity<T> identity;
    private boolean randomUuids;
    private Clock clock = Clock.systemUTC();
    private boolean historicalMigration;
    private boolean gzip = true;
    private CaptureEndpoint captureEndpoint = CaptureEndpoint.BATCH;
    private PostHogSinkErrorHandler errorHandler = PostHogSinkErrorHandler.failJob();
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Duration maxRetryAfter = Duration.ofSeconds(60);
    private int rateIncrease = 100;
    private double rateDecreaseFactor = 0.5;
    private long requestTimeoutMS = DEFAULT_REQUEST_TIMEOUT_MS;
    private Duration deliveryTimeout = DEFAULT_DELIVERY_TIMEOUT;
    private int maxRetries = RetryBudget.UNBOUNDED;

    PostHogSinkBuilder() {}

    /** PostHog's ingestion host, e.g. {@code https://eu.i.posthog.com} (default: US cloud). */
    public PostHogSinkBuilder<T> setHost(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    /** The project API key ({@code phc_...}); never logged. */
    public PostHogSinkBuilder<T> setProjectApiKey(String projectApiKey) {
        this.projectApiKey = Objects.requireNonNull(projectApiKey, "projectApiKey");
        return this;
    }

    /**
     * A full client configuration (timeouts, connections, I/O threads); replaces {@link #setHost}
     * and {@link #setProjectApiKey}. Its retry policy is ignored: the sink owns retries.
     */
    public PostHogSinkBuilder<T> setClientConfig(PostHogClientConfig clientConfig) {
        this.clientConfig = Objects.requireNonNull(clientConfig, "clientConfig");
        return this;
    }

    /** How elements become events (see {@link PostHogEventConverters}). Required. */
    public PostHogSinkBuilder<T> setConverter(PostHogEventConverter<T> converter) {
        this.converter = Objects.requireNonNull(converter, "converter");
        return this;
    }

    /** The stable identity the uuid of an event without one is derived from. */
    public PostHogSinkBuilder<T> setEventIdentity(EventIdentity<T> identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
        return this;
    }

    /**
     * Gives events with neither a uuid nor an identity a random uuid. Off by default: a replay
     * after a restart then sends those events again as new events.
     */
    public PostHogSinkBuilder<T> setRandomUuids(boolean randomUuids) {
        this.randomUuids = randomUuids;
        return this;
    }

    /** The clock that stamps events with neither a timestamp nor a record timestamp. */
    public PostHogSinkBuilder<T> setClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Sends with {@code historical_migration: true}, PostHog's path for backfills. */
    public PostHogSinkBuilder<T> setHistoricalMigration(boolean historicalMigration) {
        this.historicalMigration = historicalMigration;
        return this;
    }

    /**
     * {@code BATCH} (default) or {@code SINGLE_EVENT}: one event per request to {@code /i/v0/e/}.
     * The single-event route takes no batch options (max batch size is 1) and no historical
     * migration.
     */
    public PostHogSinkBuilder<T> setCaptureEndpoint(CaptureEndpoint captureEndpoint) {
        this.captureEndpoint = Objects.requireNonNull(captureEndpoint, "captureEndpoint");
        return this;
    }

    /** Gzips request bodies (default on). */
    public PostHogSinkBuilder<T> setGzip(boolean gzip) {
        this.gzip = gzip;
        return this;
    }

    /** What to do with events PostHog cannot take (default: fail the job). */
    public PostHogSinkBuilder<T> setErrorHandler(PostHogSinkErrorHandler errorHandler) {
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
        return this;
    }

    /** Backoff between retries of a failed batch: initial and maximum delay. */
    public PostHogSinkBuilder<T> setRetryBackoff(Duration initial, Duration max) {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 <= initial <= max backoff");
        }
        this.initialBackoff = initial;
        this.maxBackoff = max;
        return this;
    }

    /** The longest {@code Retry-After} the sink honours (default 60 s). */
    public PostHogSinkBuilder<T> setMaxRetryAfter(Duration maxRetryAfter) {
        this.maxRetryAfter = Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        return this;
    }

    /**
     * Rate control: events added to the in-flight budget per successful request (default 100) and
     * the factor it is multiplied by on a 429 or a sustained run of failures (default 0.5; an
     * isolated failure does not shrink it). The budget starts full, {@code maxBatchSize ×
     * maxInFlightRequests}, and also caps the batch size.
     */
    public PostHogSinkBuilder<T> setRateControl(int increase, double decreaseFactor) {
        if (increase < 1 || decreaseFactor <= 0 || decreaseFactor >= 1) {
            throw new IllegalArgumentException("need increase >= 1 and 0 < decreaseFactor < 1");
        }
        this.rateIncrease = increase;
        this.rateDecreaseFactor = decreaseFactor;
        return this;
    }

    /** After this long without an answer, AsyncSink puts the batch back (default 5 min). */
    public PostHogSinkBuilder<T> setRequestTimeoutMS(long requestTimeoutMS) {
        this.requestTimeoutMS = requestTimeoutMS;
        return this;
    }

    /**
     * How long events may keep failing with retryable errors (5xx, 408, 429, timeouts, connection
     * errors) before the sink fails the job (default 10 min), like Kafka's {@code
     * delivery.timeout.ms}. The clock starts at an event's first failed attempt; Flink's restart
     * strategy then replays from the last checkpoint, so nothing is lost.
     */
    public PostHogSinkBuilder<T> setDeliveryTimeout(Duration deliveryTimeout) {
        if (deliveryTimeout.isNegative() || deliveryTimeout.isZero()) {
            throw new IllegalArgumentException("deliveryTimeout must be positive");
        }
        this.deliveryTimeout = deliveryTimeout;
        return this;
    }

    /**
     * At most this many retries per event before the sink fails the job (default: unbounded within
     * the delivery timeout). 0 fails at the first retryable failure.
     */
    public PostHogSinkBuilder<T> setMaxRetries(int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0");
        }
        this.maxRetries = maxRetries;
        return this;
    }

    @Override
    public PostHogSink<T> build() {
        if (converter == null) {
            throw new IllegalStateException("setConverter(...) is required");
        }
        PostHogClientConfig config = clientConfig();
        long maxRecordSize =
                Optional.ofNullable(getMaxRecordSizeInBytes())
                        .orElse(DEFAULT_MAX_RECORD_SIZE_IN_BYTES);
        long maxBatchBytes =
                Optional.ofNullable(getMaxBatchSizeInBytes())
                        .orElse(DEFAULT_MAX_BATCH_SIZE_IN_BYTES);
        if (maxBatchBytes > MAX_BATCH_SIZE_IN_BYTES_LIMIT) {
            throw new IllegalArgumentException(
                    "maxBatchSizeInBytes must stay below PostHog's 20 MB batch limit");
        }
        int maxBatchSize = Optional.ofNullable(getMaxBatchSize()).orElse(DEFAULT_MAX_BATCH_SIZE);
        if (captureEndpoint == CaptureEndpoint.SINGLE_EVENT) {
            if (getMaxBatchSize() != null && getMaxBatchSize() != 1) {
                throw new IllegalArgumentException(
                        "The single-event endpoint sends one event per request: leave maxBatchSize"
                                + " unset or 1");
            }
            if (historicalMigration) {
                throw new IllegalArgumentException(
                        "Historical migration goes through /batch/, not the single-event"
                                + " endpoint");
            }
            maxBatchSize = 1;
        }
        PostHogSinkSettings settings =
                new PostHogSinkSettings(
                        config,
                        historicalMigration,
                        captureEndpoint,
                        gzip,
                        errorHandler,
                        initialBackoff,
                        maxBackoff,
                        maxRetryAfter,
                        rateIncrease,
                        rateDecreaseFactor,
                        deliveryTimeout,
                        maxRetries);
        return new PostHogSink<>(
                new PostHogElementConverter<>(
                        converter, identity, randomUuids, maxRecordSize, clock),
                maxBatchSize,
                Optional.ofNullable(getMaxInFlightRequests())
                        .orElse(DEFAULT_MAX_IN_FLIGHT_REQUESTS),
                Optional.ofNullable(getMaxBufferedRequests()).orElse(DEFAULT_MAX_BUFFERED_REQUESTS),
                maxBatchBytes,
                Optional.ofNullable(getMaxTimeInBufferMS()).orElse(DEFAULT_MAX_TIME_IN_BUFFER_MS),
                maxRecordSize,
                requestTimeoutMS,
                settings);
    }

    private PostHogClientConfig clientConfig() {
        PostHogClientConfig config =
                clientConfig != null
                        ? clientConfig
                        : PostHogClientConfig.builder()
                                .host(host)
                                .projectApiKey(projectApiKey)
                                .build();
        String key = config.projectApiKey();
        if (!config.mayHave(PostHogCredentials.Key.PROJECT_API_KEY)) {
            throw new IllegalStateException("setProjectApiKey(phc_...) is required");
        }
        if (key != null && key.startsWith("phx_")) {
            throw new IllegalArgumentException(
                    "The capture API takes the project API key (phc_...), not a personal API key");
        }
        return config;
    }
}
