package io.github.posthogflink.testkit.capture;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/** UUIDv7 generation (RFC 9562): 48-bit Unix milliseconds, then random bits. */
public final class UuidV7 {
    private static final SecureRandom RANDOM = new SecureRandom();

    private UuidV7() {}

    public static UUID at(Instant time) {
        long millis = time.toEpochMilli();
        long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
