package io.github.posthogflink.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;

/** Capture events as the pipeline reads them from Kafka: seeded, each with its own uuid. */
final class CaptureEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant DAY = Instant.parse("2026-01-15T09:00:00Z");

    /** One input event and the dedup key PostHog keeps it under (uuid, event, distinct id, day). */
    record Event(UUID uuid, String event, String distinctId, Instant timestamp, int sequence) {

        String json() {
            ObjectNode node = JSON.createObjectNode();
            node.put("event", event);
            node.put("distinct_id", distinctId);
            node.put("uuid", uuid.toString());
            node.put("timestamp", timestamp.toString());
            node.putObject("properties").put("sequence", sequence).put("source", "e2e-docker");
            return node.toString();
        }
    }

    private CaptureEvents() {}

    /** {@code count} events named {@code event}, over 50 distinct ids, from {@code seed}. */
    static List<Event> generate(String event, int count, long seed) {
        Random random = new Random(seed);
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            UUID uuid = randomUuid(random);
            events.add(
                    new Event(
                            uuid, event, "user-" + random.nextInt(50), DAY.plusMillis(i * 10L), i));
        }
        return events;
    }

    /** Creates the topic (4 partitions) before the job subscribes to it, as a deployment would. */
    static void createTopic(String bootstrapServers, String topic) throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
        }
    }

    /** Sends the events, keyed by distinct id, and waits until Kafka acknowledged each. */
    static void produce(String bootstrapServers, String topic, List<Event> events) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (Event event : events) {
                producer.send(new ProducerRecord<>(topic, event.distinctId(), event.json()));
            }
            producer.flush();
        }
    }

    // A version 4 uuid from the seeded generator.
    private static UUID randomUuid(Random random) {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
