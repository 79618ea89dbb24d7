package io.github.posthogflink.connector.sink;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;

/**
 * A stable identity for an element without its own uuid, e.g. Kafka {@code topic/partition/offset}
 * or a business key. The sink derives the event's uuid from it ({@link EventUuids#fromIdentity}),
 * so a replay after a restart produces the same uuid. Two different events must never share an
 * identity.
 */
@FunctionalInterface
@PublicEvolving
public interface EventIdentity<T> extends Serializable {
    String identityOf(T element);
}
