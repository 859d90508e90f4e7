package io.bpfscope.capture;

import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.MalformedEventException;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeCatalog;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes raw records of one capture: finds the probe by the record's
 * source id in the capture header (falling back to its kind), and turns
 * boot-time stamps into wall-clock instants. Thread-safe after construction.
 */
public final class RecordDecoder {
    private final long bootToWallNanos;
    private final Map<Integer, String> probeNames = new HashMap<>();

    public RecordDecoder(CaptureHeader header) {
        this.bootToWallNanos = header.bootToWallNanos();
        for (CaptureHeader.ProbeEntry entry : header.probes()) {
            probeNames.put(entry.source(), entry.name());
        }
    }

    public Instant wallTime(long bootNanos) {
        long epochNanos = bootNanos + bootToWallNanos;
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    public DecodedRecord decode(RawRecord record) throws MalformedEventException {
        if (!record.hasHeader()) {
            throw new MalformedEventException("record " + record.seq() + " has " + record.length()
                    + " bytes, fewer than an event header (" + EventHeader.SIZE + ")");
        }
        int kind = record.kind();
        Probe probe = ProbeCatalog.byKind(kind).orElseThrow(() ->
                new MalformedEventException("record " + record.seq() + " is of kind " + kind
                        + ", which this bpfscope does not know; a newer version may decode it"));
        DecodedEvent event = probe.decoder().decode(ByteBuffer.wrap(record.bytes()), record.offset(), record.length());
        String name = probeNames.getOrDefault(record.source(), probe.name());
        return new DecodedRecord(record.seq(), wallTime(event.header().bootNanos()), name, event);
    }
}
