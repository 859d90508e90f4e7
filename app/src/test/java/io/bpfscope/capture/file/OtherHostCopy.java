package io.bpfscope.capture.file;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real capture written again as if another host had recorded it: another hostname and kernel in
 * its header, its clock {@code skewNanos} later (the header's boot-to-wall offset), and
 * {@code execLost} events lost by its exec probe. For tests of several hosts on one machine.
 */
public final class OtherHostCopy {
    private OtherHostCopy() {
    }

    public static void write(Path capture, Path copy, String hostname, long skewNanos, long execLost) throws IOException {
        try (CaptureReader reader = CaptureReader.open(capture); OutputStream out = Files.newOutputStream(copy)) {
            CaptureHeader h = reader.header();
            CaptureWriter writer = new CaptureWriter(out, new CaptureHeader(h.format(), h.version(), h.bpfscopeVersion(),
                    hostname, "6.1.0-" + hostname, h.bootToWallNanos() + skewNanos, h.startNanos() + skewNanos,
                    h.ringBufferBytes(), h.probes()));
            for (RawRecord record = reader.next(); record != null; record = reader.next()) {
                writer.append(record.bytes(), record.offset(), record.length());
            }
            CaptureCounters end = reader.counters().orElseThrow();
            List<CaptureCounters.ProbeCounters> probes = new ArrayList<>();
            for (CaptureCounters.ProbeCounters p : end.probes()) {
                probes.add(new CaptureCounters.ProbeCounters(p.source(), p.name(),
                        p.name().equals("exec") ? execLost : p.lost(), p.truncated()));
            }
            writer.finish(new CaptureCounters(end.bootNanos(), end.events(), end.droppedInUserSpace(), probes));
        }
    }
}
