package io.bpfscope.capture;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code info} shows: the header, events per probe, the time span, the
 * loss counters, and whether the file is whole. Read in one pass.
 */
public record CaptureSummary(CaptureHeader header, long events, Map<String, Long> eventsPerProbe, Instant first,
                             Instant last, Optional<CaptureCounters> counters, boolean complete,
                             Optional<String> problem) {

    public static CaptureSummary read(CaptureReader reader) throws IOException {
        RecordDecoder decoder = new RecordDecoder(reader::header);
        Map<String, Long> perProbe = new LinkedHashMap<>();
        for (CaptureHeader.ProbeEntry probe : reader.header().probes()) {
            perProbe.put(probe.name(), 0L);
        }
        long events = 0;
        long firstBoot = Long.MAX_VALUE;
        long lastBoot = Long.MIN_VALUE;
        for (RawRecord record = reader.next(); record != null; record = reader.next()) {
            events++;
            if (!record.hasHeader()) {
                perProbe.merge("(damaged)", 1L, Long::sum);
                continue;
            }
            String name = reader.header().probe(record.source()).map(CaptureHeader.ProbeEntry::name)
                    .orElse("kind " + record.kind());
            perProbe.merge(name, 1L, Long::sum);
            firstBoot = Math.min(firstBoot, record.bootNanos());
            lastBoot = Math.max(lastBoot, record.bootNanos());
        }
        Instant first = events == 0 ? null : decoder.wallTime(firstBoot);
        Instant last = events == 0 ? null : decoder.wallTime(lastBoot);
        return new CaptureSummary(reader.header(), events, perProbe, first, last, reader.counters(), reader.complete(),
                reader.problem());
    }
}
