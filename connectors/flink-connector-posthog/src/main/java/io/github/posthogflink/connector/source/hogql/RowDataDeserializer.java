package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.RowType.RowField;

import javax.annotation.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/** HogQL rows as {@link GenericRowData} of a declared {@link RowType}, for the Table API. */
final class RowDataDeserializer implements HogQLRowDeserializer<RowData> {
    private static final long serialVersionUID = 1L;

    private final RowType rowType;
    private final TypeInformation<RowData> producedType;
    private final DeclaredColumns columns;

    RowDataDeserializer(RowType rowType, TypeInformation<RowData> producedType) {
        this.rowType = rowType;
        this.producedType = producedType;
        List<String> names = new ArrayList<>();
        List<FlinkTarget> targets = new ArrayList<>();
        List<String> typeNames = new ArrayList<>();
        for (RowField field : rowType.getFields()) {
            FlinkTarget target = targetOf(field.getType());
            if (target == null) {
                throw new IllegalArgumentException(
                        "Column '"
                                + field.getName()
                                + "': type "
                                + field.getType()
                                + " is not supported");
            }
            names.add(field.getName());
            targets.add(target);
            typeNames.add(field.getType().asSummaryString());
        }
        this.columns = new DeclaredColumns(names, targets, typeNames);
    }

    /**
     * The target for a logical type, or null if unsupported (kept here: table types stay optional).
     */
    @Nullable
    private static FlinkTarget targetOf(LogicalType type) {
        return switch (type.getTypeRoot()) {
            case CHAR, VARCHAR -> FlinkTarget.STRING;
            case TINYINT -> FlinkTarget.BYTE;
            case SMALLINT -> FlinkTarget.SHORT;
            case INTEGER -> FlinkTarget.INT;
            case BIGINT -> FlinkTarget.LONG;
            case FLOAT -> FlinkTarget.FLOAT;
            case DOUBLE -> FlinkTarget.DOUBLE;
            case DECIMAL -> FlinkTarget.DECIMAL;
            case BOOLEAN -> FlinkTarget.BOOLEAN;
            case DATE -> FlinkTarget.DATE;
            case TIMESTAMP_WITHOUT_TIME_ZONE -> FlinkTarget.LOCAL_DATE_TIME;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> FlinkTarget.INSTANT;
            default -> null;
        };
    }

    @Override
    public void open(HogQLResultSchema schema) {
        columns.resolve(schema);
    }

    @Override
    public RowData deserialize(HogQLRow row) {
        GenericRowData out = new GenericRowData(row.kind(), columns.size());
        for (int i = 0; i < columns.size(); i++) {
            out.setField(i, internal(columns.value(row, i), rowType.getTypeAt(i)));
        }
        return out;
    }

    private static Object internal(Object value, LogicalType type) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return StringData.fromString(s);
        }
        if (value instanceof BigDecimal d) {
            DecimalType decimal = (DecimalType) type;
            return DecimalData.fromBigDecimal(d, decimal.getPrecision(), decimal.getScale());
        }
        if (value instanceof LocalDate date) {
            return (int) date.toEpochDay();
        }
        if (value instanceof LocalDateTime time) {
            return TimestampData.fromLocalDateTime(time);
        }
        if (value instanceof Instant instant) {
            return TimestampData.fromInstant(instant);
        }
        return value; // boxed primitives are their own internal form
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
