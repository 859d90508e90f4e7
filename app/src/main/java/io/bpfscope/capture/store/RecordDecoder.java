package io.bpfscope.capture.store;

import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.MalformedEventException;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Decodes raw records of one capture: finds the probe instance by the
 * record's source id in the capture header, with the decoder its entry
 * describes (a tracepoint's fields come from the format stored there, not
 * from this host), falling back to the record's kind; and turns boot-time
 * stamps into wall-clock instants. Decoders are built once per source.
 * Thread-safe.
 */
public final class RecordDecoder {
    private final long bootToWallNanos;
    private final Supplier<CaptureHeader> header;
    private final Map<Integer, Source> sources = new ConcurrentHashMap<>();

    /** What records of one source id decode with. */
    private record Source(String name, int kind, EventDecoder decoder, String host) {
    }

    public RecordDecoder(CaptureHeader header) {
        this(() -> header);
    }

    /**
     * For a header that grows while records are read (a file's PROBE blocks,
     * a live capture's attaches): a source id not seen yet is looked up again.
     */
    public RecordDecoder(Supplier<CaptureHeader> header) {
        this.header = header;
        this.bootToWallNanos = header.get().bootToWallNanos();
    }

    public Instant wallTime(long bootNanos) {
        long epochNanos = bootNanos + bootToWallNanos;
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    public DecodedRecord decode(RawRecord record) throws MalformedEventException {
        Source source = knownSource(record);
        // The buffer ends where the record ends: a length inside a hostile record cannot reach the next one.
        ByteBuffer bytes = ByteBuffer.wrap(record.bytes(), record.offset(), record.length());
        DecodedEvent event;
        try {
            event = source.decoder.decode(bytes, record.offset(), record.length());
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            // The decoders check the lengths they read; this is the net under a check that was missed.
            throw new MalformedEventException("record " + record.seq() + " (" + source.name + ") reads past its "
                    + record.length() + " bytes");
        }
        return new DecodedRecord(record.seq(), wallTime(event.header().bootNanos()), source.name, event, source.host);
    }

    /**
     * A record with its header only (time, pid, tid, uid, comm; its probe and
     * host): the probe's decoder does not run, so the event has no fields, no
     * summary, no payload, and a body the decoder would refuse goes unnoticed.
     * For a load that reads no more (one SQL query).
     */
    public DecodedRecord decodeHeader(RawRecord record) throws MalformedEventException {
        Source source = knownSource(record);
        EventHeader header = EventHeader.decode(ByteBuffer.wrap(record.bytes(), record.offset(), record.length()), record.offset());
        return new DecodedRecord(record.seq(), wallTime(header.bootNanos()), source.name, new HeaderOnly(header), source.host);
    }

    /** An event of which only the header was read. */
    private record HeaderOnly(EventHeader header) implements DecodedEvent {
        @Override
        public Map<String, Object> fields() {
            return Map.of();
        }

        @Override
        public String summary() {
            return "";
        }
    }

    /** The source a record with a whole header came from, or why there is none. */
    private Source knownSource(RawRecord record) throws MalformedEventException {
        if (!record.hasHeader()) {
            throw new MalformedEventException("record " + record.seq() + " has " + record.length()
                    + " bytes, fewer than an event header (" + EventHeader.SIZE + ")");
        }
        int kind = record.kind();
        return source(record).orElseThrow(() ->
                new MalformedEventException("record " + record.seq() + " is of kind " + kind
                        + ", which this bpfscope does not know; a newer version may decode it"));
    }

    /**
     * The probe a raw record came from, without decoding it (the timeline
     * counts every record): {@code ?} for a record too short for a header,
     * {@code kind N} for a kind this bpfscope does not know.
     */
    public String probeName(RawRecord record) {
        if (!record.hasHeader()) {
            return "?";
        }
        // orElseGet: the timeline asks this of every record; an eager "kind N" would be garbage for each
        return source(record).map(Source::name).orElseGet(() -> "kind " + record.kind());
    }

    /** The probe a raw record came from, without decoding it; empty for a record too short or of an unknown kind. */
    public Optional<String> knownProbe(RawRecord record) {
        return record.hasHeader() ? source(record).map(Source::name) : Optional.empty();
    }

    private Optional<Source> source(RawRecord record) {
        Source cached = sources.get(record.source());
        return cached != null && cached.kind == record.kind() ? Optional.of(cached)
                : resolve(record.source(), record.kind());
    }

    /** The source's entry in the header, or (not kept, the header may still name it) the kind's probe. */
    private Optional<Source> resolve(int sourceId, int kind) {
        CaptureHeader now = header.get();
        Optional<CaptureHeader.ProbeEntry> entry = now.probe(sourceId).filter(e -> e.kind() == kind);
        if (entry.isPresent()) {
            CaptureHeader.ProbeEntry e = entry.get();
            Optional<Source> found = ProbeCatalog.decoderFor(kind, e.target(), e.format(), e.layout())
                    .map(decoder -> new Source(e.name(), kind, decoder, now.hostOf(e)));
            found.ifPresent(s -> sources.put(sourceId, s));
            return found;
        }
        // No entry (a PROBE block lost to damage): the kind's decoder; a tracepoint's says it has no format.
        String name = ProbeCatalog.nameOfKind(kind).orElse("kind " + kind);
        String host = now.hostname() == null ? "" : now.hostname();
        return ProbeCatalog.decoderFor(kind, null, null).map(decoder -> new Source(name, kind, decoder, host));
    }

    /**
     * The field names the probes of {@code header} give besides the shipped
     * probes' ({@code FieldCatalog}): a tracepoint's own fields. For filters.
     */
    public static Set<String> fieldNames(CaptureHeader header) {
        Set<String> names = new LinkedHashSet<>();
        for (CaptureHeader.ProbeEntry e : header.probes()) {
            ProbeCatalog.decoderFor(e.kind(), e.target(), e.format()).ifPresent(d -> names.addAll(d.fieldNames()));
        }
        return names;
    }
}
