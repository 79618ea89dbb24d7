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

    /** The sink's garbage-free path derives exactly what {@link EventUuids#fromIdentity} does. */
    @Test
    void theDeriverGivesTheFixedVectorsAndFromIdentitysUuids() {
        EventUuids.Deriver deriver = new EventUuids.Deriver();
        assertDerived(deriver, "orders/1", "1b543a6f-d7a3-5576-a448-c8b2f70b340a");
        assertDerived(deriver, "kafka:events/0/42", "3838e1fd-6a7d-5d34-9b26-cd1ccb5f0f54");
        assertDerived(deriver, "é✓ unicode/🙂", "4319acb7-0028-5ccd-b79d-d4dfa5392dc4");
        assertDerived(deriver, "", "7852d585-cc14-5d06-b775-bb67a074e0c9");
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder identity = new StringBuilder();
            for (int c = random.nextInt(i % 50 == 0 ? 300 : 40); c > 0; c--) {
                // mostly ASCII, some Latin-1, BMP, pairs and lone surrogates
                int kind = random.nextInt(20);
                identity.append(
                        kind == 0
                                ? (char) (0xd800 + random.nextInt(0x800))
                                : kind == 1
                                        ? (char) (0x80 + random.nextInt(0xff00))
                                        : (char) (0x20 + random.nextInt(0x60)));
            }
            String text = identity.toString();
            deriver.derive(text);
            assertThat(new UUID(deriver.msb(), deriver.lsb()))
                    .as(text)
                    .isEqualTo(EventUuids.fromIdentity(text));
        }
    }

    private static void assertDerived(EventUuids.Deriver deriver, String identity, String uuid) {
        deriver.derive(identity);
        assertThat(new UUID(deriver.msb(), deriver.lsb())).hasToString(uuid);
    }

    private static void assertVector(String identity, String uuid) {
        assertThat(EventUuids.fromIdentity(identity)).hasToString(uuid);
    }
}
