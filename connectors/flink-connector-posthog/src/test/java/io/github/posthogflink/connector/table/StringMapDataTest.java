package io.github.posthogflink.connector.table;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.VarCharType;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class StringMapDataTest {
    private static final MapType STRING_MAP =
            new MapType(VarCharType.STRING_TYPE, VarCharType.STRING_TYPE);

    @Test
    void holdsEntriesAndNulls() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("plan", "pro");
        entries.put("n", "18");
        entries.put("gone", null);

        assertThat(read(StringMapData.of(entries))).isEqualTo(entries);
        assertThat(read(StringMapData.of(Map.of()))).isEmpty();
    }

    /** What an async lookup join does: one serializer copies rows completed on many threads. */
    @Test
    void sharedSerializerCopiesEachMapWhole() throws Exception {
        RowDataSerializer shared = new RowDataSerializer(STRING_MAP);
        int threads = 4;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> mixed =
                    pool.invokeAll(
                            java.util.stream.IntStream.range(0, threads)
                                    .<Callable<Integer>>mapToObj(
                                            t -> () -> copyMany(shared, t, start))
                                    .toList());
            for (Future<Integer> f : mixed) {
                assertThat(f.get()).as("copies holding another row's entries").isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int copyMany(RowDataSerializer shared, int thread, CyclicBarrier start)
            throws Exception {
        start.await();
        int mixed = 0;
        for (int i = 0; i < 20_000; i++) {
            String n = thread + "-" + i;
            Map<String, String> entries = new LinkedHashMap<>();
            entries.put("plan", "plan-" + n);
            entries.put("n", n);
            RowData copy = shared.copy(GenericRowData.of(StringMapData.of(entries)));
            if (!read(copy.getMap(0)).equals(entries)) {
                mixed++;
            }
        }
        return mixed;
    }

    private static Map<String, String> read(MapData map) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < map.size(); i++) {
            StringData value = map.valueArray().isNullAt(i) ? null : map.valueArray().getString(i);
            out.put(
                    map.keyArray().getString(i).toString(),
                    value == null ? null : value.toString());
        }
        return out;
    }
}
