package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;

/** HogQL rows as named-position {@link Row}s of a declared (or probed) {@link RowTypeInfo}. */
final class RowDeserializer implements HogQLRowDeserializer<Row> {
    private static final long serialVersionUID = 1L;

    @Nullable private final RowTypeInfo declared;
    @Nullable private final DeclaredColumns columns;

    RowDeserializer(@Nullable RowTypeInfo declared) {
        this.declared = declared;
        this.columns = declared == null ? null : columnsOf(declared);
    }

    /** Whether the schema still has to be learned from a first response. */
    boolean needsSchema() {
        return declared == null;
    }

    /** A deserializer whose schema is the result's own (every column, default Flink types). */
    static RowDeserializer forResult(HogQLResultSchema schema) {
        TypeInformation<?>[] types = new TypeInformation<?>[schema.size()];
        for (int i = 0; i < schema.size(); i++) {
            types[i] = ClickHouseType.parse(schema.types().get(i)).defaultTypeInformation();
        }
        return new RowDeserializer(new RowTypeInfo(types, schema.columns().toArray(new String[0])));
    }

    private static DeclaredColumns columnsOf(RowTypeInfo info) {
        List<String> names = List.of(info.getFieldNames());
        List<FlinkTarget> targets = new ArrayList<>();
        List<String> typeNames = new ArrayList<>();
        for (int i = 0; i < info.getArity(); i++) {
            TypeInformation<?> type = info.getTypeAt(i);
            FlinkTarget target = FlinkTarget.of(type);
            if (target == null) {
                throw new IllegalArgumentException(
                        "Column '" + names.get(i) + "': Flink type " + type + " is not supported");
            }
            targets.add(target);
            typeNames.add(type.toString());
        }
        return new DeclaredColumns(names, targets, typeNames);
    }

    @Override
    public void open(HogQLResultSchema schema) {
        requireSchema().resolve(schema);
    }

    @Override
    public Row deserialize(HogQLRow row) {
        DeclaredColumns c = requireSchema();
        Row out = new Row(row.kind(), c.size());
        for (int i = 0; i < c.size(); i++) {
            out.setField(i, c.value(row, i));
        }
        return out;
    }

    private DeclaredColumns requireSchema() {
        if (columns == null) {
            throw new IllegalStateException(
                    "HogQLRowDeserializer.row() learns its schema when the source is built;"
                            + " build the source with HogQLSourceBuilder.build()");
        }
        return columns;
    }

    @Override
    public TypeInformation<Row> getProducedType() {
        if (declared == null) {
            throw new IllegalStateException(
                    "The Row schema is not known yet: HogQLSourceBuilder.build() learns it");
        }
        return declared;
    }
}
