package io.bpfscope.ui.common;

import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.probes.MalformedEventException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Decodes records on demand for the table and the panes, keeping the most
 * recently used few thousand: only visible rows are ever decoded. FX thread only.
 */
public final class RecordCache {
    static final int SIZE = 4096;

    private final Supplier<ShownCapture> capture;
    private final ErrorDisplay errors;
    private final Map<Long, DecodedRecord> cache = new LinkedHashMap<>(SIZE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, DecodedRecord> eldest) {
            return size() > SIZE;
        }
    };
    private long lastBad = -1;

    public RecordCache(Supplier<ShownCapture> capture, ErrorDisplay errors) {
        this.capture = capture;
        this.errors = errors;
    }

    /** The decoded record, or null when it cannot be decoded (the error line says why, once). */
    public DecodedRecord get(long seq) {
        DecodedRecord cached = cache.get(seq);
        if (cached != null) {
            return cached;
        }
        ShownCapture shown = capture.get();
        if (seq < 1 || seq > shown.store().size()) {
            return null;
        }
        try {
            DecodedRecord decoded = shown.decode(seq);
            cache.put(seq, decoded);
            return decoded;
        } catch (MalformedEventException | RuntimeException e) {
            if (lastBad != seq) {
                lastBad = seq;
                errors.show("event " + seq, e);
            }
            return null;
        }
    }

    /** How many decoded records are kept now (at most {@link #SIZE}). */
    int size() {
        return cache.size();
    }

    public void clear() {
        cache.clear();
        lastBad = -1;
    }
}
