package io.github.posthogflink.connector.sink;

import org.apache.flink.annotation.PublicEvolving;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Event uuids: validation of user-supplied ones and deterministic name-based (version 5, SHA-1)
 * ones, so that a replayed element gets the same uuid and PostHog collapses the copies.
 */
@PublicEvolving
public final class EventUuids {
    /** RFC 4122's URL namespace. */
    /**
     * One digest per thread: looking the provider up for every event costs more than hashing.
     * Declared first: the namespace below is computed with it.
     */
    private static final ThreadLocal<MessageDigest> SHA1 =
            ThreadLocal.withInitial(EventUuids::newSha1);

    /** RFC 4122's URL namespace. */
    private static final UUID URL_NAMESPACE =
            UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    /**
     * The namespace of every uuid the sink derives: the v5 uuid of the URL {@code
     * https://github.com/posthog-flink} in the URL namespace.
     */
    public static final UUID NAMESPACE =
            nameBased(URL_NAMESPACE, "https://github.com/posthog-flink");

    /** {@link #NAMESPACE} as bytes, hashed in front of every identity. */
    private static final byte[] NAMESPACE_BYTES = toBytes(NAMESPACE);

    private static final Pattern CANONICAL =
            Pattern.compile(
                    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private EventUuids() {}

    /** The deterministic uuid for an event identity, e.g. {@code "orders/3/1042"}. */
    public static UUID fromIdentity(String identity) {
        return nameBased(NAMESPACE, identity);
    }

    /** A SHA-1 digest. */
    static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    /** Version 5 (SHA-1) name-based uuid, as RFC 4122 section 4.3. */
    public static UUID nameBased(UUID namespace, String name) {
        return nameBased(namespace, name, SHA1.get());
    }

    private static UUID nameBased(UUID namespace, String name, MessageDigest sha1) {
        sha1.reset();
        sha1.update(namespace == NAMESPACE ? NAMESPACE_BYTES : toBytes(namespace));
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        return new UUID(mostSignificantBits(hash), leastSignificantBits(hash));
    }

    /** The first 8 bytes of a SHA-1 hash as a version 5 uuid's high bits. */
    private static long mostSignificantBits(byte[] hash) {
        long msb = 0;
        for (int i = 0; i < 8; i++) {
            int b = i == 6 ? (hash[i] & 0x0f) | 0x50 : hash[i] & 0xff;
            msb = (msb << 8) | b;
        }
        return msb;
    }

    /** Bytes 8 to 15 of a SHA-1 hash as a version 5 (RFC 4122 variant) uuid's low bits. */
    private static long leastSignificantBits(byte[] hash) {
        long lsb = 0;
        for (int i = 8; i < 16; i++) {
            int b = i == 8 ? (hash[i] & 0x3f) | 0x80 : hash[i] & 0xff;
            lsb = (lsb << 8) | b;
        }
        return lsb;
    }

    /**
     * {@link #fromIdentity(String)} for one thread without garbage: the identity's UTF-8 bytes and
     * the hash go to buffers kept between calls, and the uuid comes out as its two longs.
     */
    static final class Deriver {
        private final MessageDigest sha1 = newSha1();
        private final byte[] hash = new byte[20];
        private byte[] name = new byte[64];
        private long msb;
        private long lsb;

        /** Derives the uuid of {@code identity}; read it with {@link #msb()} and {@link #lsb()}. */
        void derive(String identity) {
            int length = identity.length();
            if (name.length < length) {
                name = new byte[Math.max(length, name.length * 2)];
            }
            byte[] bytes = name;
            int n = 0;
            for (; n < length; n++) {
                char c = identity.charAt(n);
                if (c >= 0x80) {
                    break;
                }
                bytes[n] = (byte) c;
            }
            sha1.reset();
            sha1.update(NAMESPACE_BYTES);
            if (n == length) {
                sha1.update(bytes, 0, n);
            } else {
                // Not ASCII: the JDK's UTF-8 encoder, exactly as fromIdentity does.
                sha1.update(identity.getBytes(StandardCharsets.UTF_8));
            }
            try {
                sha1.digest(hash, 0, hash.length);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException("SHA-1 failed", e);
            }
            msb = mostSignificantBits(hash);
            lsb = leastSignificantBits(hash);
        }

        long msb() {
            return msb;
        }

        long lsb() {
            return lsb;
        }
    }

    /**
     * Parses a user-supplied uuid in canonical 8-4-4-4-12 form, returned lower case.
     *
     * @throws InvalidEventException when it is not one
     */
    public static String validate(String uuid) {
        if (!CANONICAL.matcher(uuid).matches()) {
            throw new InvalidEventException("invalid uuid: " + abbreviate(uuid));
        }
        return uuid.toLowerCase(java.util.Locale.ROOT);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static byte[] toBytes(UUID uuid) {
        byte[] out = new byte[16];
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (msb >>> (56 - 8 * i));
            out[i + 8] = (byte) (lsb >>> (56 - 8 * i));
        }
        return out;
    }
}
