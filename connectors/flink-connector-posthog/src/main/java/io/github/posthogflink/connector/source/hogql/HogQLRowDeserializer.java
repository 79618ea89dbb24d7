package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;
import org.apache.flink.util.function.SerializableFunction;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * Turns HogQL result rows into records of type {@code T}. Ready ones: {@link #row(RowTypeInfo)} and
 * {@link #row()} for {@link Row}, {@link #rowData(RowType, TypeInformation)} for {@link RowData},
 * {@link #pojo(Class)} for POJOs, and {@link #mapping} for anything else.
 */
@PublicEvolving
public interface HogQLRowDeserializer<T> extends Serializable, ResultTypeQueryable<T> {

    /**
     * Called with a result's schema before its first row is deserialized, and again whenever the
     * schema changes; a declared schema is validated here.
     */
    default void open(HogQLResultSchema schema) {}

    /** The record for a row, or null to emit nothing. */
    @Nullable
    T deserialize(HogQLRow row) throws Exception;

    /** Whether to be called for the marker that stands for an empty snapshot poll. */
    default boolean wantsEmptySnapshotMarkers() {
        return false;
    }

    /**
     * {@link Row}s with the declared column names and Flink types; the result is checked against it
     * (by column name) and the row kind is set.
     */
    static HogQLRowDeserializer<Row> row(RowTypeInfo declared) {
        return new RowDeserializer(declared);
    }

    /**
     * {@link Row}s whose schema is taken from the source's first response: build the source with it
     * and {@link HogQLSourceBuilder#build()} runs the query once to learn the columns.
     */
    static HogQLRowDeserializer<Row> row() {
        return new RowDeserializer(null);
    }

    /**
     * {@link RowData} ({@code GenericRowData}) for the Table API, given its row type and its type
     * information (a table factory gets it from {@code context.createTypeInformation}).
     */
    static HogQLRowDeserializer<RowData> rowData(
            RowType rowType, TypeInformation<RowData> producedType) {
        return new RowDataDeserializer(rowType, producedType);
    }

    /** {@link RowData} with generic (Kryo) type information, for DataStream use without SQL. */
    static HogQLRowDeserializer<RowData> rowData(RowType rowType) {
        return new RowDataDeserializer(rowType, new GenericTypeInfo<>(RowData.class));
    }

    /**
     * Flink POJOs: each field takes the column of its name, or of its name in snake_case ({@code
     * earlierEvents} from {@code earlier_events}), typed as a declared {@link Row} field; every
     * field needs a column (checked against each result).
     */
    static <T> HogQLRowDeserializer<T> pojo(Class<T> type) {
        return PojoDeserializer.of(type);
    }

    /** Any type, from a function of the raw row. */
    static <T> HogQLRowDeserializer<T> mapping(
            SerializableFunction<HogQLRow, T> mapper, TypeInformation<T> type) {
        return new MappingDeserializer<>(mapper, type);
    }
}
