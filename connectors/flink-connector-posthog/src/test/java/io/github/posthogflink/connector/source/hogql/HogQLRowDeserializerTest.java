package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ClickHouse type names and JSON values to Flink types, and declared schema checks. */
class HogQLRowDeserializerTest {
    private static final HogQLResultSchema SCHEMA =
            new HogQLResultSchema(
                    List.of("uuid", "ts", "day", "n", "big", "ratio", "ok", "price", "tags", "x"),
                    List.of(
                            "UUID",
                            "DateTime64(6, 'UTC')",
                            "Date",
                            "Nullable(Int64)",
                            "UInt64",
                            "Float64",
                            "Bool",
                            "Decimal(10, 2)",
                            "Array(String)",
                            "Nullable(Nothing)"));

    private static final List<Object> VALUES =
            Arrays.asList(
                    "0190c6e0-0000-7000-8000-000000000001",
                    "2024-06-14T09:30:00.123456Z",
                    "2024-06-14",
                    42,
                    new BigInteger("9000000000000000000"),
                    0.5,
                    true,
                    12.25,
                    List.of("a", "b"),
                    null);

    private static HogQLRow row(RowKind kind) {
        return new HogQLRow(SCHEMA, VALUES, kind, 3, Instant.EPOCH, 0, 1);
    }

    @Test
    void aRowLearnedFromTheResultUsesDefaultTypesForEachClickHouseType() {
        RowDeserializer deserializer = RowDeserializer.forResult(SCHEMA);
        deserializer.open(SCHEMA);

        Row out = deserializer.deserialize(row(RowKind.UPDATE_AFTER));

        assertThat(((RowTypeInfo) deserializer.getProducedType()).getFieldTypes())
                .containsExactly(
                        Types.STRING,
                        Types.INSTANT,
                        Types.LOCAL_DATE,
                        Types.LONG,
                        Types.LONG,
                        Types.DOUBLE,
                        Types.BOOLEAN,
                        Types.BIG_DEC,
                        Types.STRING,
                        Types.STRING);
        assertThat(out.getKind()).isEqualTo(RowKind.UPDATE_AFTER);
        assertThat(out.getField(1)).isEqualTo(Instant.parse("2024-06-14T09:30:00.123456Z"));
        assertThat(out.getField(2)).isEqualTo(LocalDate.of(2024, 6, 14));
        assertThat(out.getField(3)).isEqualTo(42L);
        assertThat(out.getField(4)).isEqualTo(9_000_000_000_000_000_000L);
        assertThat(out.getField(7)).isEqualTo(new BigDecimal("12.25"));
        assertThat(out.getField(8)).isEqualTo("[\"a\",\"b\"]");
        assertThat(out.getField(9)).isNull();
    }

    @Test
    void rowDataUsesFlinksInternalRepresentations() throws Exception {
        RowType type =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("ts", DataTypes.TIMESTAMP_LTZ(6)),
                                        DataTypes.FIELD("day", DataTypes.DATE()),
                                        DataTypes.FIELD("uuid", DataTypes.STRING()),
                                        DataTypes.FIELD("price", DataTypes.DECIMAL(10, 2)),
                                        DataTypes.FIELD("n", DataTypes.BIGINT()),
                                        DataTypes.FIELD("x", DataTypes.INT()))
                                .getLogicalType();
        HogQLRowDeserializer<RowData> deserializer = HogQLRowDeserializer.rowData(type);
        deserializer.open(SCHEMA);

        RowData out = deserializer.deserialize(row(RowKind.DELETE));

        assertThat(out.getRowKind()).isEqualTo(RowKind.DELETE);
        assertThat(out.getTimestamp(0, 6))
                .isEqualTo(TimestampData.fromInstant(Instant.parse("2024-06-14T09:30:00.123456Z")));
        assertThat(out.getInt(1)).isEqualTo((int) LocalDate.of(2024, 6, 14).toEpochDay());
        assertThat(out.getString(2))
                .isEqualTo(StringData.fromString("0190c6e0-0000-7000-8000-000000000001"));
        assertThat(out.getDecimal(3, 10, 2))
                .isEqualTo(DecimalData.fromBigDecimal(new BigDecimal("12.25"), 10, 2));
        assertThat(out.getLong(4)).isEqualTo(42L);
        assertThat(out.isNullAt(5)).isTrue();
    }

    @Test
    void timestampsWithoutZoneAreReadInUtc() throws Exception {
        RowType type =
                (RowType)
                        DataTypes.ROW(DataTypes.FIELD("ts", DataTypes.TIMESTAMP(6)))
                                .getLogicalType();
        HogQLRowDeserializer<RowData> deserializer = HogQLRowDeserializer.rowData(type);
        HogQLResultSchema schema =
                new HogQLResultSchema(List.of("ts"), List.of("DateTime64(6, 'UTC')"));
        deserializer.open(schema);

        for (String text :
                List.of(
                        "2024-06-14T09:30:00.5Z",
                        "2024-06-14T09:30:00.500Z",
                        "2024-06-14 09:30:00.5",
                        "2024-06-14 09:30:00.500000",
                        "2024-06-14T11:30:00.5+02:00")) {
            RowData out =
                    deserializer.deserialize(
                            new HogQLRow(
                                    schema, List.of(text), RowKind.INSERT, 0, Instant.EPOCH, 0, 1));
            assertThat(out.getTimestamp(0, 6).toLocalDateTime())
                    .as(text)
                    .isEqualTo(LocalDateTime.of(2024, 6, 14, 9, 30, 0, 500_000_000));
        }
    }

    @Test
    void aMismatchNamesTheColumnAndBothTypes() {
        HogQLRowDeserializer<Row> deserializer =
                HogQLRowDeserializer.row(
                        new RowTypeInfo(
                                new TypeInformation<?>[] {Types.INT}, new String[] {"ratio"}));

        assertThatThrownBy(() -> deserializer.open(SCHEMA))
                .isInstanceOf(HogQLSchemaMismatchException.class)
                .hasMessage("Column 'ratio' is declared as Integer but PostHog returns Float64");
    }

    @Test
    void aUInt64AboveLongRangeFailsClearly() {
        HogQLResultSchema schema = new HogQLResultSchema(List.of("big"), List.of("UInt64"));
        HogQLRowDeserializer<Row> deserializer =
                HogQLRowDeserializer.row(
                        new RowTypeInfo(
                                new TypeInformation<?>[] {Types.LONG}, new String[] {"big"}));
        deserializer.open(schema);

        assertThatThrownBy(
                        () ->
                                deserializer.deserialize(
                                        new HogQLRow(
                                                schema,
                                                List.of(new BigInteger("18446744073709551615")),
                                                RowKind.INSERT,
                                                0,
                                                Instant.EPOCH,
                                                0,
                                                1)))
                .hasMessageContaining("Cannot read column 'big' as Long (PostHog type UInt64)");
    }

    @Test
    void typeNamesAreReadWithTheirWrappers() {
        assertThat(ClickHouseType.parse("Nullable(LowCardinality(String))").kind())
                .isEqualTo(ClickHouseType.Kind.STRING);
        assertThat(ClickHouseType.parse("LowCardinality(Nullable(String))").nullable()).isTrue();
        assertThat(ClickHouseType.parse("DateTime64(3)").precision()).isEqualTo(3);
        assertThat(ClickHouseType.parse("DateTime('UTC')").kind())
                .isEqualTo(ClickHouseType.Kind.DATETIME);
        assertThat(ClickHouseType.parse("Decimal64(4)").scale()).isEqualTo(4);
        assertThat(ClickHouseType.parse("Map(String, String)").kind())
                .isEqualTo(ClickHouseType.Kind.OTHER);
        assertThat(ClickHouseType.parse("UInt8").kind()).isEqualTo(ClickHouseType.Kind.INT32);
    }

    @Test
    void splitsSurviveSerialization() throws Exception {
        HogQLSplit split =
                new HogQLSplit(
                        "hogql-q",
                        "2024-06-14T09:30:00.123456Z",
                        "0190c6e0-0000-7000-8000-000000000001",
                        7,
                        "2026-01-01T00:00:00Z",
                        Map.of("[\"a\"]", Arrays.asList("a", 2, 1.5, null)));
        byte[] bytes = HogQLSplitSerializer.INSTANCE.serialize(split);

        assertThat(HogQLSplitSerializer.INSTANCE.deserialize(2, bytes)).isEqualTo(split);
        HogQLSplit counted =
                new HogQLSplit("hogql-q-2026-03-01T00:00:00Z", "t", "u", 0, "e", null, 41);
        assertThat(
                        HogQLSplitSerializer.INSTANCE.deserialize(
                                2, HogQLSplitSerializer.INSTANCE.serialize(counted)))
                .isEqualTo(counted);
        HogQLEnumStateSerializer enumSerializer = new HogQLEnumStateSerializer();
        HogQLEnumState state = new HogQLEnumState(List.of(split, counted), true);
        assertThat(enumSerializer.deserialize(2, enumSerializer.serialize(state))).isEqualTo(state);
    }

    @Test
    void versionOneCheckpointsStillRestore() throws Exception {
        byte[] v1Split =
                ("{\"splitId\":\"hogql-q\",\"cursorTimestamp\":\"2024-06-14T09:30:00Z\","
                                + "\"cursorUuid\":\"u\",\"version\":3,\"until\":null,"
                                + "\"previousRows\":null}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HogQLSplit expected = new HogQLSplit("hogql-q", "2024-06-14T09:30:00Z", "u", 3, null, null);
        assertThat(HogQLSplitSerializer.INSTANCE.deserialize(1, v1Split)).isEqualTo(expected);

        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeBoolean(true);
            out.writeInt(1);
            out.writeInt(v1Split.length);
            out.write(v1Split);
        }
        assertThat(new HogQLEnumStateSerializer().deserialize(1, bytes.toByteArray()))
                .isEqualTo(new HogQLEnumState(List.of(expected), true));
    }

    /** Matched by name ({@code uuid}, {@code ok}) and by snake_case ({@code n} is plain). */
    public static class Typed {
        public String uuid;
        public Instant ts;
        public Long n;
        public boolean ok;
        public BigDecimal price;

        public Typed() {}
    }

    @Test
    void aPojoTakesEachFieldFromItsColumnWithTheDeclaredConversions() throws Exception {
        HogQLRowDeserializer<Typed> deserializer = HogQLRowDeserializer.pojo(Typed.class);
        deserializer.open(SCHEMA);

        Typed out = deserializer.deserialize(row(RowKind.INSERT));

        assertThat(out.uuid).isEqualTo("0190c6e0-0000-7000-8000-000000000001");
        assertThat(out.ts).isEqualTo(Instant.parse("2024-06-14T09:30:00.123456Z"));
        assertThat(out.n).isEqualTo(42L);
        assertThat(out.ok).isTrue();
        assertThat(out.price).isEqualByComparingTo("12.25");
    }

    /** {@code dayOfWeek} has no column by that name or in snake_case. */
    public static class Missing {
        public String uuid;
        public String dayOfWeek;

        public Missing() {}
    }

    @Test
    void aPojoFieldWithoutAColumnIsASchemaMismatchNamingIt() {
        HogQLRowDeserializer<Missing> deserializer = HogQLRowDeserializer.pojo(Missing.class);

        assertThatThrownBy(() -> deserializer.open(SCHEMA))
                .isInstanceOf(HogQLSchemaMismatchException.class)
                .hasMessageContaining("dayOfWeek");
        assertThatThrownBy(() -> HogQLRowDeserializer.pojo(List.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Flink POJO");
        assertThat(PojoDeserializer.snakeCase("earlierEvents")).isEqualTo("earlier_events");
    }
}
