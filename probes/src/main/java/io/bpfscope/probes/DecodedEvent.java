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
