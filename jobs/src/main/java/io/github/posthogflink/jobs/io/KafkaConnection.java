package io.github.posthogflink.jobs.io;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * How every Kafka client of the pipeline connects: the brokers, plus client properties from {@code
 * --kafka-properties} (security protocol, SASL, TLS, isolation level, ...). The properties may hold
 * secrets: {@link #toString()} shows their names only.
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> properties)
        implements Serializable {

    /** Set by the pipeline itself; a properties file may not override them. */
    static final Set<String> RESERVED =
            Set.of(
                    "bootstrap.servers",
                    "key.serializer",
                    "value.serializer",
                    "key.deserializer",
                    "value.deserializer");

    public KafkaConnection {
        properties = Map.copyOf(properties);
        for (String key : properties.keySet()) {
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException(
                        "--kafka-properties must not set "
                                + key
                                + (key.equals("bootstrap.servers")
                                        ? " (use --kafka-bootstrap-servers)"
                                        : " (the pipeline reads and writes bytes)"));
            }
        }
    }

    public static KafkaConnection of(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /** The properties and the brokers, for a Kafka client or a Flink Kafka builder. */
    public Properties clientProperties() {
        Properties out = new Properties();
        out.putAll(properties);
        out.setProperty("bootstrap.servers", bootstrapServers);
        return out;
    }

    /**
     * Reads a Java properties file.
     *
     * @throws IllegalArgumentException naming the file, never a value
     */
    public static Map<String, String> load(Path file) {
        Properties read = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            read.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read --kafka-properties " + file + ": " + e.getClass().getSimpleName());
        }
        Map<String, String> out = new LinkedHashMap<>();
        read.stringPropertyNames().forEach(name -> out.put(name, read.getProperty(name)));
        return out;
    }

    @Override
    public String toString() {
        return "KafkaConnection{"
                + bootstrapServers
                + ", properties="
                + new TreeSet<>(properties.keySet())
                + "}";
    }
}
