package io.bpfscope.capture.store;

import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFileIndex;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.probes.MalformedEventException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code info} shows: the header, events per probe, the time span, the
 * loss counters, the records that could not be decoded, and whether the file
 * is whole. Read in one pass.
 *
 * @param eventsPerProbe   events per probe name (of every host), and {@code (damaged)} and {@code kind N} for records
 *                         without a header or a probe entry
 * @param eventsPerSource  events per probe entry (its source id): per host in a merged capture
 * @param undecodable      records this bpfscope cannot decode (damaged, or of a probe it does not know)
 * @param firstUndecodable why the first of them could not be, if any
 * @param complete         the file ended with its END block and nothing in it was damaged
 */
public record CaptureSummary(CaptureHeader header, long events, Map<String, Long> eventsPerProbe,
                             Map<Integer, Long> eventsPerSource, Instant first,
                             Instant last, Optional<CaptureCounters> counters, long undecodable,
                             Optional<String> firstUndecodable, boolean complete, Optional<String> problem) {

    /**
     * The summary a file's index gives (see {@link CaptureFileIndex}), without reading its
     * events: counts per source, the span of the blocks' times, the END block's counters.
     * Records are not decoded one by one, so {@code undecodable} counts only those of no
     * declared probe or too short for a header. Empty when the file has no index it can believe.
     */
    public static Optional<CaptureSummary> fromIndex(Path path) throws IOException {
        Optional<CaptureFileIndex> read = CaptureFileIndex.read(path).index();
        if (read.isEmpty()) {
            return Optional.empty();
        }
        CaptureFileIndex index = read.get();
        CaptureHeader header = index.header();
        Map<String, Long> perProbe = new LinkedHashMap<>();
        for (CaptureHeader.ProbeEntry probe : header.probes()) {
            perProbe.put(probe.name(), 0L);
        }
        Map<Integer, Long> perSource = new LinkedHashMap<>();
        long undecodable = 0;
        for (Map.Entry<Integer, Long> counted : index.eventsPerSource().entrySet()) {
            int source = counted.getKey();
            Optional<CaptureHeader.ProbeEntry> entry = source == CaptureFileIndex.NO_HEADER ? Optional.empty()
                    : header.probe(source);
            entry.ifPresent(e -> perSource.merge(e.source(), counted.getValue(), Long::sum));
            String name = entry.map(CaptureHeader.ProbeEntry::name)
                    .orElse(source == CaptureFileIndex.NO_HEADER ? "(damaged)" : "source " + source);
            perProbe.merge(name, counted.getValue(), Long::sum);
            undecodable += entry.isEmpty() ? counted.getValue() : 0;
        }
        long firstBoot = Long.MAX_VALUE;
        long lastBoot = Long.MIN_VALUE;
        for (int i = 0; i < index.counts().length; i++) {
            firstBoot = Math.min(firstBoot, index.firstBoot()[i]);
            lastBoot = Math.max(lastBoot, index.lastBoot()[i]);
        }
        RecordDecoder decoder = new RecordDecoder(header);
        boolean timed = firstBoot <= lastBoot;
        return Optional.of(new CaptureSummary(header, index.events(), perProbe, perSource,
                timed ? decoder.wallTime(firstBoot) : null, timed ? decoder.wallTime(lastBoot) : null,
                Optional.of(index.counters()), undecodable, Optional.empty(), true, Optional.empty()));
    }

    public static CaptureSummary read(CaptureReader reader) throws IOException {
        RecordDecoder decoder = new RecordDecoder(reader::header);
        Map<String, Long> perProbe = new LinkedHashMap<>();
        for (CaptureHeader.ProbeEntry probe : reader.header().probes()) {
            perProbe.put(probe.name(), 0L);
        }
        Map<Integer, Long> perSource = new LinkedHashMap<>();
        long events = 0;
        long undecodable = 0;
        String firstUndecodable = null;
        long firstBoot = Long.MAX_VALUE;
        long lastBoot = Long.MIN_VALUE;
        for (RawRecord record = reader.next(); record != null; record = reader.next()) {
            events++;
            try {
                decoder.decode(record);
            } catch (MalformedEventException e) {
                undecodable++;
                firstUndecodable = firstUndecodable == null ? e.getMessage() : firstUndecodable;
            }
            if (!record.hasHeader()) {
                perProbe.merge("(damaged)", 1L, Long::sum);
                continue;
            }
            Optional<CaptureHeader.ProbeEntry> entry = reader.header().probe(record.source());
            entry.ifPresent(e -> perSource.merge(e.source(), 1L, Long::sum));
            String name = entry.map(CaptureHeader.ProbeEntry::name).orElse("kind " + record.kind());
            perProbe.merge(name, 1L, Long::sum);
            firstBoot = Math.min(firstBoot, record.bootNanos());
            lastBoot = Math.max(lastBoot, record.bootNanos());
        }
        boolean timed = firstBoot <= lastBoot;
        Instant first = timed ? decoder.wallTime(firstBoot) : null;
        Instant last = timed ? decoder.wallTime(lastBoot) : null;
        Optional<String> problem = reader.problem();
        return new CaptureSummary(reader.header(), events, perProbe, perSource, first, last, reader.counters(), undecodable,
                Optional.ofNullable(firstUndecodable), reader.complete() && problem.isEmpty(), problem);
    }
}
