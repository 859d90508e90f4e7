package io.bpfscope.probes;

import java.nio.ByteBuffer;

/** Turns a probe's raw records into {@link DecodedEvent}s. Stateless and thread-safe. */
public interface EventDecoder {
    /**
     * Decodes the record in {@code record[offset, offset + length)}.
     * A record too short for its layout throws {@link MalformedEventException}.
     */
    DecodedEvent decode(ByteBuffer record, int offset, int length) throws MalformedEventException;

    /** The struct the decoder reads. */
    EventLayout layout();

    /**
     * Field names this decoder's events carry that are not known in advance (a
     * tracepoint's, from its format file), so filters accept them; empty for
     * the probes whose fields are fixed.
     */
    default java.util.List<String> fieldNames() {
        return java.util.List.of();
    }
}
