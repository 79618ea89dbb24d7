package io.github.posthogflink.testkit.capture;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The word-wise comparisons and hash answer as byte loops would. */
class ByteWordsTest {
    @Test
    void equalsNameFindsEveryDifferingByteAtEveryLength() {
        for (int length = 1; length <= 30; length++) {
            byte[] name = new byte[length];
            for (int i = 0; i < length; i++) {
                name[i] = (byte) ('a' + i % 26);
            }
            // The range sits at an offset inside a larger array, bytes around it differing.
            byte[] body = new byte[length + 7];
            java.util.Arrays.fill(body, (byte) '#');
            System.arraycopy(name, 0, body, 3, length);
            assertThat(ByteWords.equalsName(name, body, 3, length))
                    .as("length %d", length)
                    .isTrue();
            for (int i = 0; i < length; i++) {
                body[3 + i] ^= 0x20;
                assertThat(ByteWords.equalsName(name, body, 3, length))
                        .as("length %d, byte %d", length, i)
                        .isFalse();
                body[3 + i] ^= 0x20;
            }
        }
    }

    @Test
    void hashDependsOnEveryByte() {
        for (int length = 1; length <= 24; length++) {
            byte[] bytes = new byte[length + 4];
            int hash = ByteWords.hash(bytes, 2, length);
            for (int i = 0; i < length; i++) {
                bytes[2 + i] = 1;
                assertThat(ByteWords.hash(bytes, 2, length))
                        .as("length %d, byte %d", length, i)
                        .isNotEqualTo(hash);
                bytes[2 + i] = 0;
            }
        }
    }

    @Test
    void similarIdsSpreadOverTheInternersSlots() {
        int mask = 2 * TextInterner.MAX_ENTRIES - 1;
        Set<Integer> slots = new HashSet<>();
        for (int id = 0; id < 10_000; id++) {
            byte[] text = ("user-" + id).getBytes(StandardCharsets.US_ASCII);
            slots.add(ByteWords.hash(text, 0, text.length) & mask);
        }
        // 10,000 random picks of 32,768 slots land on about 8,600 distinct ones.
        assertThat(slots.size()).isGreaterThan(8_000);
    }
}
