package io.bpfscope.probes;

import java.util.Map;

/**
 * One event as a probe's decoder understood it. Views, filters and
 * exporters read it through {@link #fields()}; the raw record stays in the
 * store. Immutable.
 */
public interface DecodedEvent {
    EventHeader header();

    /** The probe's own fields, in display order; names are the JSONL and filter field names. */
    Map<String, Object> fields();

    /**
     * One of {@link #fields()} by name, or null. Filters call this per event, so
     * events that are filtered often answer it without building the whole map.
     */
    default Object field(String name) {
        return fields().get(name);
    }

    /** One line for the event table, e.g. {@code /usr/bin/ls -la /tmp}. */
    String summary();

    /** The raw payload this event carries (TLS plaintext, socket data...), or null. */
    default Payload payload() {
        return null;
    }

    /** Bytes a probe captured, with the length they had before the probe's limit cut them. */
    record Payload(byte[] bytes, long originalLength, boolean truncated) {
    }
}
