package io.github.posthogflink.jobs.io;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/** The pipeline's Kafka source (raw records with their offsets) and sinks. */
public final class KafkaIo {
    private KafkaIo() {}

    /**
     * Reads raw record values from the group's committed offsets (earliest without any); with
     * {@code bounded}, stops at the offsets that are latest when the job starts. The connection's
     * properties apply first; the group, topic and offsets given here win over them.
     */
    @SuppressWarnings("deprecation") // OffsetResetStrategy: what this connector version takes
    public static KafkaSource<RawRecord> source(
            KafkaConnection kafka, String topic, String groupId, boolean bounded) {
        KafkaSourceBuilder<RawRecord> builder =
                KafkaSource.<RawRecord>builder()
                        .setProperties(kafka.clientProperties())
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setTopics(topic)
                        .setGroupId(groupId)
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                        .setDeserializer(new RawRecordDeserializer());
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** Writes each element's JSON to {@code topic}, keyed by {@code key} (null: no key). */
    public static <T> KafkaSink<T> sink(
            KafkaConnection kafka,
            String topic,
            SerializableFunction<T, String> key,
            SerializableFunction<T, String> value) {
        KafkaRecordSerializationSchema<T> schema =
                (element, context, timestamp) -> {
                    String k = key.apply(element);
                    return new ProducerRecord<>(
                            topic,
                            null,
                            timestamp,
                            k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                            value.apply(element).getBytes(StandardCharsets.UTF_8));
                };
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(kafka.clientProperties())
                .setBootstrapServers(kafka.bootstrapServers())
                .setRecordSerializer(schema)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    private static final class RawRecordDeserializer
            implements KafkaRecordDeserializationSchema<RawRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
            byte[] value = record.value() == null ? new byte[0] : record.value();
            String position =
                    RawRecord.kafkaPosition(record.topic(), record.partition(), record.offset());
            // A record over the limit goes on as its beginning only (the parser dead-letters it).
            out.collect(
                    value.length > RawRecord.MAX_RECORD_BYTES
                            ? RawRecord.oversized(value, value.length, position, value.length)
                            : new RawRecord(value, position));
        }

        @Override
        public TypeInformation<RawRecord> getProducedType() {
            return TypeInformation.of(RawRecord.class);
        }
    }
}
