package io.github.posthogflink.jobs.io;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;

/**
 * The embedded demo's input: a bounded, reproducible stream of capture events (record {@code i} is
 * generated from a Random seeded with {@code SEED + i}), as raw NDJSON records at positions {@code
 * demo:i}. Users {@code user-0}..{@code user-199}; one record in 500 is broken on purpose (bad
 * JSON, no distinct_id, bad uuid) to show the dead letters.
 */
public final class DemoEvents implements GeneratorFunction<Long, RawRecord> {
    private static final long serialVersionUID = 1L;

    public static final long SEED = 20_261_127L;
    public static final int USERS = 200;
    static final String[] EVENTS = {
        "$pageview",
        "$pageview",
        "$pageview",
        "product viewed",
        "added to cart",
        "order placed",
        "signed up"
    };
    static final String[] PATHS = {"/", "/pricing", "/docs", "/blog", "/product/42"};
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    public static DataGeneratorSource<RawRecord> source(long count, double eventsPerSecond) {
        return new DataGeneratorSource<>(
                new DemoEvents(),
                count,
                eventsPerSecond > 0
                        ? RateLimiterStrategy.perSecond(eventsPerSecond)
                        : RateLimiterStrategy.noOp(),
                TypeInformation.of(RawRecord.class));
    }

    @Override
    public RawRecord map(Long index) {
        return new RawRecord(line(index).getBytes(StandardCharsets.UTF_8), "demo:" + index);
    }

    /** The JSON line of record {@code index}. */
    public static String line(long index) {
        Random random = new Random(SEED + index);
        String user = "user-" + random.nextInt(USERS);
        String event = EVENTS[random.nextInt(EVENTS.length)];
        Instant timestamp = START.plusSeconds(index * 7 + random.nextInt(7));
        if (index % 500 == 499) {
            return switch ((int) (index / 500 % 3)) {
                case 0 -> "{\"event\": \"" + event + "\", \"distinct_id\": ";
                case 1 -> "{\"event\":\"" + event + "\",\"properties\":{}}";
                default ->
                        "{\"event\":\""
                                + event
                                + "\",\"distinct_id\":\""
                                + user
                                + "\",\"uuid\":\"not-a-uuid\"}";
            };
        }
        return "{\"event\":\""
                + event
                + "\",\"distinct_id\":\""
                + user
                + "\",\"timestamp\":\""
                + timestamp
                + "\",\"properties\":{\"$current_url\":\"https://shop.example"
                + PATHS[random.nextInt(PATHS.length)]
                + "\",\"$browser\":\""
                + (random.nextBoolean() ? "Chrome" : "Firefox")
                + "\"}}";
    }
}
