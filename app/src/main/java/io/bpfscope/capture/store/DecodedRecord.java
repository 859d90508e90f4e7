package io.bpfscope.capture.store;

import io.bpfscope.probes.DecodedEvent;
import java.time.Instant;

/** A record with its place in the capture, its wall-clock time, the probe that sent it and what it says. */
public record DecodedRecord(long seq, Instant time, String probe, DecodedEvent event) {
}
