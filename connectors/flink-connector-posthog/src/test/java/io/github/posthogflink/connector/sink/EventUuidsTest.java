package io.github.posthogflink.connector.sink;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fixed vectors of the uuids the sink derives. A job upgraded mid-stream replays events with the
 * uuids the old version gave them, so these must never change. Computed independently with Python:
 * {@code uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/posthog-flink"), identity)}.
 */
class EventUuidsTest {

    @Test
    void derivedUuidsNeverChange() {
        assertThat(EventUuids.NAMESPACE)
                .isEqualTo(UUID.fromString("27d3da04-8487-5ca0-a4a0-3436f8bf00b2"));
        assertVector("orders/1", "1b543a6f-d7a3-5576-a448-c8b2f70b340a");
        assertVector("kafka:events/0/42", "3838e1fd-6a7d-5d34-9b26-cd1ccb5f0f54");
        assertVector("file:/data/in.ndjson:7", "5cb1a366-7610-5591-9044-eda9d448cd30");
        assertVector("é✓ unicode/🙂", "4319acb7-0028-5ccd-b79d-d4dfa5392dc4");
        assertVector("", "7852d585-cc14-5d06-b775-bb67a074e0c9");
    }

    @Test
    void theSameIdentityGivesTheSameUuidOnEveryThreadAndCall() throws Exception {
        UUID first = EventUuids.fromIdentity("orders/1");
        UUID[] other = new UUID[1];
        Thread thread = new Thread(() -> other[0] = EventUuids.fromIdentity("orders/1"));
        thread.start();
        thread.join();
        assertThat(other[0]).isEqualTo(first);
        assertThat(EventUuids.nameBased(EventUuids.NAMESPACE, "orders/1")).isEqualTo(first);
        // another namespace is hashed with its own bytes
        assertThat(
                        EventUuids.nameBased(
                                UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8"),
                                "https://github.com/posthog-flink"))
                .isEqualTo(EventUuids.NAMESPACE);
    }

    private static void assertVector(String identity, String uuid) {
        assertThat(EventUuids.fromIdentity(identity)).hasToString(uuid);
    }
}
