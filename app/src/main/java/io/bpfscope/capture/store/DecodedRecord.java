package io.bpfscope.capture.store;

import io.bpfscope.probes.DecodedEvent;
import java.time.Instant;

/**
 * A record with its place in the capture, its wall-clock time, the probe that sent it, the host that
 * probe ran on (the capture header's, or in a merged capture the probe entry's) and what it says.
 */
public record DecodedRecord(long seq, Instant time, String probe, DecodedEvent event, String host) {
    /** A record of a capture whose host does not matter here (benchmarks, tests). */
    public DecodedRecord(long seq, Instant time, String probe, DecodedEvent event) {
        this(seq, time, probe, event, "");
    }
}
