package io.github.posthogflink.jobs.io;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Where the PostHog sink's error handler writes a dead letter, outside the stream: the pipeline's
 * dead-letter file (appended through {@link LineFiles}, so lines never interleave with the
 * dead-letter sink's) or its dead-letter topic (one acknowledged send per letter). Each write
 * returns only once the letter is durable, so a checkpoint that completes after it covers it.
 */
public sealed interface DeadLetterDestination extends Serializable {

    /** Writes one JSON line; returns when it is written (file) or acknowledged (Kafka). */
    void write(String line) throws IOException;

    static DeadLetterDestination file(String path) {
        return new File(path);
    }

    static DeadLetterDestination kafka(String bootstrapServers, String topic) {
        return new Kafka(bootstrapServers, topic);
    }

    /** Appends to a local file. */
    record File(String path) implements DeadLetterDestination {
        @Override
        public void write(String line) throws IOException {
            LineFiles.appendOnce(Path.of(path), (line + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Sends to a topic with a short-lived producer (acks=all): the sink has no close hook for its
     * error handler, and server-side rejections are rare, so no producer outlives its letter.
     */
    record Kafka(String bootstrapServers, String topic) implements DeadLetterDestination {
        @Override
        public void write(String line) throws IOException {
            Map<String, Object> config =
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrapServers,
                            ProducerConfig.ACKS_CONFIG,
                            "all",
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                            true);
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(
                            config, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(
                                new ProducerRecord<>(
                                        topic, null, line.getBytes(StandardCharsets.UTF_8)))
                        .get();
                producer.close(Duration.ofSeconds(10));
            } catch (ExecutionException e) {
                throw new IOException("cannot write a dead letter to topic " + topic, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted writing a dead letter", e);
            }
        }
    }
}
