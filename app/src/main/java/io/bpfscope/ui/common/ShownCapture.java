package io.bpfscope.ui.common;

import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.helper.LiveCapture;
import io.bpfscope.capture.live.StreamCapture;
import io.bpfscope.capture.store.CaptureIndex;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.capture.store.RecordDecoder;
import io.bpfscope.probes.MalformedEventException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The capture on screen: a live one (its store fills as the probes send),
 * a file opened for browsing, or nothing yet. Readers on any thread may use
 * {@link #store()}, {@link #decode} and {@link #probeName}; {@link #refreshHeader()}
 * is called on the FX thread when a live capture gains a probe.
 */
public final class ShownCapture {
    private final EventStore store;
    private final LiveCapture live;
    private final StreamCapture stream;
    private final Path file;
    private final Optional<CaptureCounters> fileCounters;
    private final String problem;
    private final Optional<io.bpfscope.capture.file.CaptureFileIndex> fileIndex;
    private volatile CaptureHeader header;
    private volatile RecordDecoder decoder;

    private ShownCapture(EventStore store, LiveCapture live, StreamCapture stream, Path file, CaptureHeader header,
                         Optional<CaptureCounters> fileCounters, String problem,
                         Optional<io.bpfscope.capture.file.CaptureFileIndex> fileIndex) {
        this.store = store;
        this.fileIndex = fileIndex;
        this.live = live;
        this.stream = stream;
        this.file = file;
        this.fileCounters = fileCounters;
        this.problem = problem;
        use(header);
    }

    /** Nothing shown yet: an empty store. */
    public static ShownCapture empty() {
        return new ShownCapture(new EventStore(), null, null, null, emptyHeader(), Optional.empty(), "", Optional.empty());
    }

    /** A capture file, indexed by {@link EventStore#index}. */
    public static ShownCapture of(CaptureIndex index, Path file) {
        return new ShownCapture(index.store(), null, null, file, index.header(), index.counters(), index.problem().orElse(""),
                index.fileIndex());
    }

    public static ShownCapture of(LiveCapture live) {
        return new ShownCapture(live.store(), live, null, null, live.header(), Optional.empty(), "", Optional.empty());
    }

    /** A store filled by someone else (benchmarks, tests). */
    public static ShownCapture of(EventStore store, CaptureHeader header) {
        return new ShownCapture(store, null, null, null, header, Optional.empty(), "", Optional.empty());
    }

    /** A capture arriving on a stream ({@code gui -}): its store fills as the stream brings records. */
    public static ShownCapture of(StreamCapture stream) {
        return new ShownCapture(stream.store(), null, stream, null, stream.header(), Optional.empty(), "", Optional.empty());
    }

    static CaptureHeader emptyHeader() {
        return new CaptureHeader("bscap", 1, "", "", "", 0, 0, 0, java.util.List.of());
    }

    private void use(CaptureHeader newHeader) {
        // A stream's header grows as its PROBE blocks come (several hosts merged declare every probe so):
        // its decoder looks up a source it has not seen in the header as it is now.
        decoder = stream != null ? new RecordDecoder(stream::header) : new RecordDecoder(newHeader);
        header = newHeader;
    }

    /** A live capture gained a probe: decode its records under its name. */
    public void refreshHeader() {
        if (live != null) {
            use(live.header());
        }
    }

    public EventStore store() {
        return store;
    }

    public boolean isLive() {
        return live != null;
    }

    public Optional<LiveCapture> live() {
        return Optional.ofNullable(live);
    }

    public Optional<StreamCapture> stream() {
        return Optional.ofNullable(stream);
    }

    /** The file shown, or the live or streamed capture's private file, or empty. */
    public Optional<Path> file() {
        if (live != null) {
            return Optional.of(live.file());
        }
        return stream != null ? Optional.of(stream.file()) : Optional.ofNullable(file);
    }

    /** True for a capture opened from a file (not live, not empty). */
    public boolean isFile() {
        return file != null;
    }

    public CaptureHeader header() {
        return stream != null ? stream.header() : header;
    }

    public RecordDecoder decoder() {
        return decoder;
    }

    /** The counters now (live) or as the file last recorded them; null when there are none. */
    public CaptureCounters counters() {
        if (stream != null) {
            return stream.countersSoFar();
        }
        return live != null ? live.counters() : fileCounters.orElse(null);
    }

    /** Why a file (or stream) was read only in part, or empty. */
    public String problem() {
        if (stream != null) {
            return stream.problem().orElse("");
        }
        return problem;
    }

    public long fileSize() {
        Optional<Path> path = file();
        try {
            return path.isPresent() ? Files.size(path.get()) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    public DecodedRecord decode(long seq) throws MalformedEventException {
        return decoder.decode(store.get(seq));
    }

    /** The probe a raw record came from, without decoding it. */
    public String probeName(RawRecord record) {
        return decoder.probeName(record);
    }

    /** The file's own index when it opened from one (per block: records, first and last times). */
    public Optional<io.bpfscope.capture.file.CaptureFileIndex> fileIndex() {
        return fileIndex;
    }

    /** Wall-clock epoch nanoseconds of a raw record. */
    public long epochNanos(RawRecord record) {
        return record.bootNanos() + header.bootToWallNanos();
    }
}
