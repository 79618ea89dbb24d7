package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.JoinFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.util.Objects;

/**
 * Joins a stream of events with the latest snapshot of a HogQL query (a left join: an event whose
 * key is not in the snapshot is joined with null). The snapshot is broadcast to every join
 * instance; a new version replaces the old one only once complete. Events that arrive before the
 * first snapshot wait in a bounded buffer.
 *
 * <pre>{@code
 * HogQLSource<SnapshotRow<Row>> plans = HogQLSource.<SnapshotRow<Row>>builder()
 *         .client(config)
 *         .snapshot("SELECT distinct_id, plan FROM persons LIMIT 50000")
 *         .deserializer(HogQLJoin.snapshotRows(HogQLRowDeserializer.row(schema)))
 *         .build();
 * DataStream<Enriched> out = HogQLJoin.<Event, Row, String, Enriched>builder()
 *         .events(events, Event::distinctId)
 *         .lookup(plans, row -> (String) row.getField("distinct_id"), Types.STRING)
 *         .join((event, plan) -> new Enriched(event, plan))
 *         .outputType(TypeInformation.of(Enriched.class))
 *         .build();
 * }</pre>
 */
@PublicEvolving
public final class HogQLJoin {
    private HogQLJoin() {}

    /** A deserializer for a join's snapshot source: rows with their version and position. */
    public static <L> HogQLRowDeserializer<SnapshotRow<L>> snapshotRows(
            HogQLRowDeserializer<L> rows) {
        return new SnapshotRowDeserializer<>(rows);
    }

    public static <E, L, K, O> Builder<E, L, K, O> builder() {
        return new Builder<>();
    }

    /** Builds the join. Required: events, lookup, join, output type. */
    public static final class Builder<E, L, K, O> {
        private DataStream<E> events;
        private KeySelector<E, K> eventKey;
        private HogQLSource<SnapshotRow<L>> source;
        private DataStream<SnapshotRow<L>> snapshots;
        private KeySelector<L, K> lookupKey;
        private TypeInformation<K> keyType;
        private JoinFunction<E, L, O> join;
        private TypeInformation<O> outputType;
        private int bufferSize = 10_000;
        private BufferOverflowPolicy overflowPolicy = BufferOverflowPolicy.FAIL;
        private String name = "hogql-join";

        private Builder() {}

        /** The events and the key each is joined on. */
        public Builder<E, L, K, O> events(DataStream<E> events, KeySelector<E, K> key) {
            this.events = events;
            this.eventKey = key;
            return this;
        }

        /**
         * The snapshot source (versioned snapshot mode, deserializer from {@link #snapshotRows})
         * and the key of a lookup row.
         */
        public Builder<E, L, K, O> lookup(
                HogQLSource<SnapshotRow<L>> source,
                KeySelector<L, K> key,
                TypeInformation<K> keyType) {
            HogQLSourceOptions options = source.options();
            if (options.mode() != HogQLMode.SNAPSHOT || options.changelog()) {
                throw new IllegalArgumentException(
                        "HogQLJoin needs a snapshot source without changelogKey");
            }
            if (!(source.deserializer() instanceof SnapshotRowDeserializer)) {
                throw new IllegalArgumentException(
                        "Build the snapshot source with HogQLJoin.snapshotRows(...)");
            }
            this.source = source;
            this.lookupKey = key;
            this.keyType = keyType;
            return this;
        }

        /** Snapshot rows already read (e.g. from a source added elsewhere) and their key. */
        public Builder<E, L, K, O> lookup(
                DataStream<SnapshotRow<L>> snapshots,
                KeySelector<L, K> key,
                TypeInformation<K> keyType) {
            this.snapshots = snapshots;
            this.lookupKey = key;
            this.keyType = keyType;
            return this;
        }

        /** Combines an event with its lookup row (null when the key is not in the snapshot). */
        public Builder<E, L, K, O> join(JoinFunction<E, L, O> join) {
            this.join = join;
            return this;
        }

        public Builder<E, L, K, O> outputType(TypeInformation<O> outputType) {
            this.outputType = outputType;
            return this;
        }

        /** Events held per join instance until the first snapshot. Default 10,000. */
        public Builder<E, L, K, O> bufferSize(int bufferSize) {
            if (bufferSize < 0) {
                throw new IllegalArgumentException("bufferSize must be >= 0");
            }
            this.bufferSize = bufferSize;
            return this;
        }

        /** What to do with an event when the buffer is full. Default {@code FAIL}. */
        public Builder<E, L, K, O> whenBufferFull(BufferOverflowPolicy policy) {
            this.overflowPolicy = Objects.requireNonNull(policy);
            return this;
        }

        /** The operators' name. Default {@code hogql-join}. */
        public Builder<E, L, K, O> name(String name) {
            this.name = name;
            return this;
        }

        public DataStream<O> build() {
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(join, "join");
            Objects.requireNonNull(outputType, "outputType");
            DataStream<SnapshotRow<L>> rows = snapshots;
            if (rows == null) {
                Objects.requireNonNull(source, "lookup");
                rows =
                        events.getExecutionEnvironment()
                                .fromSource(
                                        source,
                                        WatermarkStrategy.noWatermarks(),
                                        name + "-snapshots")
                                .setParallelism(1);
            }
            @SuppressWarnings("unchecked")
            TypeInformation<L> rowType =
                    (TypeInformation<L>)
                            ((org.apache.flink.api.java.typeutils.PojoTypeInfo<?>) rows.getType())
                                    .getPojoFieldAt(fieldIndex(rows.getType(), "row"))
                                    .getTypeInformation();
            SnapshotJoinFunction<E, L, K, O> function =
                    new SnapshotJoinFunction<>(
                            eventKey,
                            lookupKey,
                            join,
                            bufferSize,
                            overflowPolicy,
                            events.getType(),
                            keyType,
                            rowType);
            BroadcastStream<SnapshotRow<L>> broadcast =
                    rows.broadcast(function.current, function.pending, function.meta);
            return events.connect(broadcast).process(function, outputType).name(name);
        }

        private static int fieldIndex(TypeInformation<?> type, String field) {
            return ((org.apache.flink.api.java.typeutils.PojoTypeInfo<?>) type)
                    .getFieldIndex(field);
        }
    }
}
