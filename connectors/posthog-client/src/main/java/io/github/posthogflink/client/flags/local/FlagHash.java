package io.github.posthogflink.client.flags.local;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * PostHog's bucketing hash: {@code int(sha1(f"{key}.{id}{salt}").hexdigest()[:15], 16) /
 * 0xFFFFFFFFFFFFFFF}, computed from the digest bytes without a hex string.
 */
final class FlagHash {
    private static final double LONG_SCALE = (double) 0xFFFFFFFFFFFFFFFL;
    static final byte[] NO_SALT = new byte[0];
    static final byte[] VARIANT_SALT = "variant".getBytes(StandardCharsets.UTF_8);

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    private FlagHash() {}

    private static final class State {
        final MessageDigest sha1;
        final byte[] digest = new byte[20];

        State() {
            try {
                sha1 = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is required by every Java platform", e);
            }
        }
    }

    /** The hash in [0, 1] of {@code key + "." + bucketingValue + salt}. */
    static double hash(String key, String bucketingValue, String salt) {
        return hash(
                (key + ".").getBytes(StandardCharsets.UTF_8),
                bucketingValue,
                salt.getBytes(StandardCharsets.UTF_8));
    }

    static double hash(byte[] keyAndDot, String bucketingValue, byte[] salt) {
        State state = STATE.get();
        MessageDigest sha1 = state.sha1;
        sha1.reset();
        sha1.update(keyAndDot);
        sha1.update(bucketingValue.getBytes(StandardCharsets.UTF_8));
        sha1.update(salt);
        byte[] digest = state.digest;
        try {
            sha1.digest(digest, 0, digest.length);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        long top = 0;
        for (int i = 0; i < 8; i++) {
            top = (top << 8) | (digest[i] & 0xFF);
        }
        return (top >>> 4) / LONG_SCALE;
    }
}
