package io.github.posthogflink.connector.table;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;

/** Helpers for the key rows of lookup functions. */
final class LookupKeys {
    private LookupKeys() {}

    /**
     * Gives a key row its own copies of its strings. Flink's lookup cache stores an answer under
     * the key row when the lookup completes, and a key string may still point into an input buffer
     * that is reused for later records by then: the answer would be cached under another key. Call
     * it before the lookup goes out.
     */
    static void ownStrings(RowData keyRow) {
        if (!(keyRow instanceof GenericRowData generic)) {
            return;
        }
        for (int i = 0; i < generic.getArity(); i++) {
            if (generic.getField(i) instanceof StringData text) {
                generic.setField(i, StringData.fromString(text.toString()));
            }
        }
    }
}
