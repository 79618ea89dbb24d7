package io.github.posthogflink.connector.table;

import org.apache.flink.core.memory.MemorySegment;
import org.apache.flink.core.memory.MemorySegmentFactory;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.binary.BinaryStringData;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A key row must not change when the input buffer its strings came from is reused. */
class LookupKeysTest {

    @Test
    void keyRowKeepsItsKeyWhenTheInputBufferIsReused() {
        byte[] bytes = "user-20".getBytes(StandardCharsets.UTF_8);
        MemorySegment reusedBuffer = MemorySegmentFactory.wrap(bytes.clone());
        StringData fromInput =
                BinaryStringData.fromAddress(new MemorySegment[] {reusedBuffer}, 0, bytes.length);
        GenericRowData keyRow = GenericRowData.of(fromInput, 7);

        LookupKeys.ownStrings(keyRow);
        reusedBuffer.put(0, "user-56".getBytes(StandardCharsets.UTF_8));

        // Flink's lookup cache finds keys by hash: a row still pointing at the input buffer now
        // hashes as another key; the key row with its own copy hashes as the key it was asked for.
        GenericRowData expected = GenericRowData.of(StringData.fromString("user-20"), 7);
        assertThat(GenericRowData.of(fromInput, 7).hashCode()).isNotEqualTo(expected.hashCode());
        assertThat(keyRow.hashCode()).isEqualTo(expected.hashCode());
        assertThat(keyRow).isEqualTo(expected);
    }
}
