package io.github.posthogflink.testkit.capture;

import java.util.List;

/**
 * Where stored events keep their JSON as sent: copied from the request body (whose buffer the
 * server reuses), packed into arrays of at most {@value #CHUNK_BYTES} bytes shared by the events of
 * a request. The copies leave out the envelope and any event too large to store; an array of half a
 * G1 region or more would be a humongous object, which takes whole regions.
 */
final class StoredJson {
    static final int CHUNK_BYTES = 256 * 1024;

    private StoredJson() {}

    /**
     * Sets the {@link EventFields#json} and {@link EventFields#jsonStart} of each event: a copy, or
     * for one {@code refused} (not stored) the body itself.
     */
    static void copy(byte[] body, List<EventFields> events, boolean[] refused) {
        int first = 0;
        while (first < events.size()) {
            // The events [first, last) that fit in one chunk (at least one).
            int size = 0;
            int last = first;
            while (last < events.size()) {
                int length = refused[last] ? 0 : events.get(last).end - events.get(last).start;
                if (last > first && size + length > CHUNK_BYTES) {
                    break;
                }
                size += length;
                last++;
            }
            byte[] chunk = new byte[size];
            int at = 0;
            for (int i = first; i < last; i++) {
                EventFields event = events.get(i);
                if (refused[i]) {
                    event.json = body;
                    event.jsonStart = event.start;
                    continue;
                }
                int length = event.end - event.start;
                System.arraycopy(body, event.start, chunk, at, length);
                event.json = chunk;
                event.jsonStart = at;
                at += length;
            }
            first = last;
        }
    }
}
