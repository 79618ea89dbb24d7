package io.github.posthogflink.jobs.io;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Where the PostHog sink's error handler writes a dead letter, outside the stream: the pipeline's
 * dead-letter file (appended through {@link LineFiles}, so lines never interleave with the
 * dead-letter sink's) or its dead-letter topic (one acknowledged send per letter). Each write
 * returns only once the letter is durable, so a checkpoint that completes after it covers it.
 */
public sealed interface DeadLetterDestination extends Serializable {

    /** Called once per sink writer before its first write. */
    default void open() {}

    /** Writes one JSON line; returns when it is written (file) or acknowledged (Kafka). */
    void write(String line) throws IOException;

    /** Called when the sink writer closes. */
    default void close() {}

    static DeadLetterDestination file(String path) {
        return new File(path);
    }

    static DeadLetterDestination kafka(KafkaConnection kafka, String topic) {
        return new Kafka(kafka, topic);
    }

    /** Appends to a local file. */
    record File(String path) implements DeadLetterDestination {
        @Override
        public void write(String line) throws IOException {
            LineFiles.appendOnce(Path.of(path), (line + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Sends to a topic through one idempotent producer per sink writer (acks=all), opened with the
     * writer and closed with it; each write waits for its acknowledgement.
     */
    final class Kafka implements DeadLetterDestination {
        private static final long serialVersionUID = 1L;

        private final KafkaConnection kafka;
        private final String topic;
        @Nullable private transient KafkaProducer<byte[], byte[]> producer;

        Kafka(KafkaConnection kafka, String topic) {
            this.kafka = kafka;
            this.topic = topic;
        }

        public String topic() {
            return topic;
        }

        @Override
        public void open() {
            Map<String, Object> config = new HashMap<>();
            kafka.clientProperties().forEach((k, v) -> config.put((String) k, v));
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producer =
                    new KafkaProducer<>(
                            config, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public void write(String line) throws IOException {
            if (producer == null) {
                open();
            }
            try {
                producer.send(
                                new ProducerRecord<>(
                                        topic, null, line.getBytes(StandardCharsets.UTF_8)))
                        .get();
            } catch (ExecutionException e) {
                throw new IOException("cannot write a dead letter to topic " + topic, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted writing a dead letter", e);
            }
        }

        @Override
        public void close() {
            if (producer != null) {
                producer.close(Duration.ofSeconds(10));
                producer = null;
            }
        }
    }
}
