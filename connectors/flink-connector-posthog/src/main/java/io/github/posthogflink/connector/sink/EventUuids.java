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

    /** {@link #fromIdentity(String)} with a SHA-1 digest the caller keeps for its thread. */
    static UUID fromIdentity(String identity, MessageDigest sha1) {
        return nameBased(NAMESPACE, identity, sha1);
    }

    /** A SHA-1 digest, for {@link #fromIdentity(String, MessageDigest)}. */
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
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (hash[i] & 0xff);
            lsb = (lsb << 8) | (hash[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
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
