package io.bpfscope.capture.file;

import io.bpfscope.probes.EventHeader;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Several captures, of one host or many, written as one capture.
 *
 * <p>Each input's probes become probe entries of the merged capture under new source ids, each entry
 * naming its host ({@link CaptureHeader.ProbeEntry#host()}), so the ids of two inputs cannot collide.
 * Every record is copied with its source id replaced and its boot-time stamp turned into Unix-epoch
 * nanoseconds with its own header's {@code bootToWallNanos}: the merged header's offset is 0, so the
 * events of all hosts stand on one wall-clock axis (as well as the hosts' clocks agree). Loss counters
 * are kept per input and written renumbered, so every host's losses stay apart.
 *
 * <p>{@link #byTime} merges whole captures in time order; a live merge {@link #add}s inputs as they
 * connect and {@link #append}s their records as they arrive. Thread-safe.
 */
public final class CaptureMerge implements AutoCloseable {
    private static final int SOURCE_FIELD = EventHeader.LAYOUT.offsetOf("source", Short.BYTES);
    private static final int TIME_FIELD = EventHeader.LAYOUT.offsetOf("ts_ns", Long.BYTES);
    private final CaptureWriter writer;
    private final List<Input> inputs = new ArrayList<>();
    private int nextSource = 1;

    /** A merged capture written to {@code out}, its header naming {@code hostname} (e.g. the hosts joined). */
    public CaptureMerge(OutputStream out, String hostname, String kernel, long startNanos) throws IOException {
        this(out, hostname, kernel, startNanos, Map.of());
    }

    /** As above, with inputs known from the start ({@code headers}, by name): their probes are in the header. */
    private CaptureMerge(OutputStream out, String hostname, String kernel, long startNanos,
                         Map<String, CaptureHeader> headers) throws IOException {
        List<CaptureHeader.ProbeEntry> entries = new ArrayList<>();
        for (Map.Entry<String, CaptureHeader> known : headers.entrySet()) {
            Input input = new Input(known.getKey(), known.getValue());
            inputs.add(input);
            for (CaptureHeader.ProbeEntry entry : known.getValue().probes()) {
                entries.add(entry.onHost(reserve(input, entry.source()), known.getValue().hostOf(entry)));
            }
        }
        String version = CaptureMerge.class.getPackage().getImplementationVersion();
        this.writer = new CaptureWriter(out, new CaptureHeader("bscap", CaptureFormat.VERSION,
                version == null ? "dev" : version, hostname, kernel, 0, startNanos, 0, entries));
    }

    /** One input: its source ids and their merged ids, its clock offset, its latest counters. */
    public final class Input {
        private final String name;
        private final Map<Integer, Integer> ids = new HashMap<>();
        private CaptureHeader header;
        private CaptureCounters counters;

        private Input(String name, CaptureHeader header) {
            this.name = name;
            this.header = header;
        }

        public String name() {
            return name;
        }

        /** The host of this input's header. */
        public String host() {
            return header.hostname() == null ? "" : header.hostname();
        }

        /** The input's wall-clock nanoseconds for a boot-time stamp of it. */
        long wallNanos(long bootNanos) {
            return bootNanos + header.bootToWallNanos();
        }
    }

    /** A new input with {@code header} (its probes are declared at once); its records follow through {@link #append}. */
    public synchronized Input add(String name, CaptureHeader header) throws IOException {
        Input input = new Input(name, header);
        inputs.add(input);
        for (CaptureHeader.ProbeEntry entry : header.probes()) {
            declare(input, entry);
        }
        return input;
    }

    /**
     * Adds one record of {@code input}, whose header may have grown since ({@code header}: its PROBE blocks).
     * A record too short for an event header is kept as it is (it decodes as damaged, as in its own capture).
     */
    public synchronized void append(Input input, CaptureHeader header, RawRecord record) throws IOException {
        input.header = header;
        byte[] copy = record.copy();
        if (record.hasHeader()) {
            int merged = mergedId(input, record.source());
            copy[SOURCE_FIELD] = (byte) merged;
            copy[SOURCE_FIELD + 1] = (byte) (merged >>> 8);
            long wall = input.wallNanos(record.bootNanos());
            for (int i = 0; i < Long.BYTES; i++) {
                copy[TIME_FIELD + i] = (byte) (wall >>> (8 * i));
            }
        }
        writer.append(copy, 0, copy.length);
    }

    /** The latest loss counters of {@code input} (they are totals, so the latest replaces the earlier). */
    public synchronized void counters(Input input, CaptureCounters counters) {
        input.counters = counters;
    }

    /** Writes what is pending and the merged counters so far, and pushes them out. */
    public synchronized void flush() throws IOException {
        writer.flush(mergedCounters());
    }

    /** Writes what is pending and the END block, then closes the output. */
    @Override
    public synchronized void close() throws IOException {
        writer.finish(mergedCounters());
    }

    private int mergedId(Input input, int source) throws IOException {
        Integer known = input.ids.get(source);
        if (known != null) {
            return known;
        }
        // A probe declared by a PROBE block after the header, or none at all (the record decodes as its kind's).
        CaptureHeader.ProbeEntry entry = input.header.probe(source).orElse(null);
        return entry != null ? declare(input, entry) : reserve(input, source);
    }

    private int declare(Input input, CaptureHeader.ProbeEntry entry) throws IOException {
        int merged = reserve(input, entry.source());
        writer.addProbe(entry.onHost(merged, input.header.hostOf(entry)));
        return merged;
    }

    private int reserve(Input input, int source) throws IOException {
        if (nextSource > 0xffff) {
            throw new IOException("more than 65535 probes in the merged inputs");
        }
        int merged = nextSource++;
        input.ids.put(source, merged);
        return merged;
    }

    private CaptureCounters mergedCounters() {
        long dropped = 0;
        long latest = 0;
        List<CaptureCounters.ProbeCounters> probes = new ArrayList<>();
        for (Input input : inputs) {
            if (input.counters == null) {
                continue;
            }
            dropped += input.counters.droppedInUserSpace();
            latest = Math.max(latest, input.wallNanos(input.counters.bootNanos()));
            for (CaptureCounters.ProbeCounters p : input.counters.probes()) {
                Integer merged = input.ids.get(p.source());
                if (merged != null) {
                    probes.add(new CaptureCounters.ProbeCounters(merged, p.name(), p.lost(), p.truncated()));
                }
            }
        }
        return new CaptureCounters(latest, writer.eventsWritten(), dropped, probes);
    }

    /**
     * Merges whole captures by wall-clock time into {@code out} (each input's records stay in their
     * order; the next record written is always the earliest of the inputs' next ones). Returns each
     * input's problem line (damage, a cut end), in input order; the readers are left open.
     */
    public static List<String> byTime(List<CaptureReader> readers, List<String> names, OutputStream out)
            throws IOException {
        return byTime(readers, names, out, problems -> { });
    }

    /**
     * As above, for a reader of {@code out} that reads while it is written: what is merged is pushed out
     * whenever an input has nothing more at hand (a live stream), and {@code beforeEnd} is given the
     * inputs' problems before the END block is written, so that reader knows them when it reaches the end.
     * When this fails, nothing more is written (no END block: {@code out} is the caller's to close).
     */
    public static List<String> byTime(List<CaptureReader> readers, List<String> names, OutputStream out,
                                      Consumer<List<String>> beforeEnd) throws IOException {
        LinkedHashSet<String> hosts = new LinkedHashSet<>();
        LinkedHashSet<String> kernels = new LinkedHashSet<>();
        long start = Long.MAX_VALUE;
        for (CaptureReader reader : readers) {
            hosts.addAll(reader.header().hosts());
            kernels.add(String.valueOf(reader.header().kernel()));
            start = Math.min(start, reader.header().startNanos());
        }
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparingLong(Head::wall)
                .thenComparingInt(Head::order));
        List<String> problems = new ArrayList<>();
        Map<String, CaptureHeader> headers = new java.util.LinkedHashMap<>();
        for (int i = 0; i < readers.size(); i++) {
            headers.put(i + " " + names.get(i), readers.get(i).header()); // the same file twice is two inputs
        }
        CaptureMerge merge = new CaptureMerge(out, String.join(", ", hosts), String.join(", ", kernels), start, headers);
        List<Input> inputs = merge.inputs;
        for (int i = 0; i < readers.size(); i++) {
            RawRecord first = nextOf(readers.get(i), merge);
            if (first != null) {
                heads.add(head(inputs.get(i), readers.get(i), first, i));
            }
        }
        while (!heads.isEmpty()) {
            Head head = heads.poll();
            merge.append(head.input, head.reader.header(), head.record);
            RawRecord next = nextOf(head.reader, merge);
            if (next != null) {
                heads.add(head(head.input, head.reader, next, head.order));
            }
        }
        for (int i = 0; i < readers.size(); i++) {
            Input input = inputs.get(i);
            readers.get(i).counters().ifPresent(c -> merge.counters(input, c));
            readers.get(i).problem().ifPresent(problems::add);
        }
        beforeEnd.accept(List.copyOf(problems));
        merge.close();
        return problems;
    }

    /** The next record of {@code reader}; what is merged so far goes out first when it would wait for its input. */
    private static RawRecord nextOf(CaptureReader reader, CaptureMerge merge) throws IOException {
        if (reader.mayBlock()) {
            merge.flushEvents();
        }
        return reader.next();
    }

    /** Writes the pending events and pushes them out, without counters (a reader of the output may be waiting). */
    private synchronized void flushEvents() throws IOException {
        writer.flushEvents();
    }

    /** An input's next record in a time-ordered merge; a record without a header goes first. */
    private record Head(Input input, CaptureReader reader, RawRecord record, long wall, int order) {
    }

    private static Head head(Input input, CaptureReader reader, RawRecord record, int order) {
        return new Head(input, reader, record, record.hasHeader() ? input.wallNanos(record.bootNanos()) : Long.MIN_VALUE,
                order);
    }
}
