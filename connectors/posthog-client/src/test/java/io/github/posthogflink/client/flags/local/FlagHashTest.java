package io.github.posthogflink.client.flags.local;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** PostHog's bucketing hash against published vectors and a hex-string reference. */
class FlagHashTest {

    /** posthog-go {@code TestCalculateHash}, key {@code "holdout-"}, no salt. */
    @ParameterizedTest
    @CsvSource({
        "some_distinct_id, 0.0866397292395582",
        "test-identifier, 0.7496340887209227",
        "example_id, 0.8691395133214396",
        "example_id2, 0.8442736553863017"
    })
    void reproducesPosthogGoVectors(String distinctId, double expected) {
        assertThat(FlagHash.hash("holdout-", distinctId, "")).isCloseTo(expected, within(1e-15));
    }

    @ParameterizedTest
    @CsvSource({"simple-flag, ''", "multivariate-flag, variant", "ünïcødé-flag, variant"})
    void equalsTheHexDigestDefinitionBitForBit(String key, String salt) throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        for (int i = 0; i < 2_000; i++) {
            String id = "id-" + random.nextLong() + (i % 7 == 0 ? "-é😀" : "");
            byte[] digest = sha1.digest((key + "." + id + salt).getBytes(StandardCharsets.UTF_8));
            String hex = HexFormat.of().formatHex(digest).substring(0, 15);
            double expected = new BigInteger(hex, 16).doubleValue() / (double) 0xFFFFFFFFFFFFFFFL;
            assertThat(FlagHash.hash(key, id, salt)).isEqualTo(expected);
        }
    }
}
