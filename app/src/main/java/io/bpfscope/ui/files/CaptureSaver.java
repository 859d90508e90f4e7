package io.bpfscope.ui.files;

import io.bpfscope.capture.CaptureCounters;
import io.bpfscope.capture.CaptureWriter;
import io.bpfscope.capture.EventStore;
import io.bpfscope.capture.LiveCapture;
import io.bpfscope.capture.RawRecord;
import io.bpfscope.io.PrivateFiles;
import io.bpfscope.ui.ShownCapture;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Save: writes the capture on screen to a {@code .bscap} (0600, owned by the
 * sudo user). A live capture is written from its store, with the header of
 * every probe attached so far and the counters now; a file is copied.
 * Runs on a background thread.
 */
public final class CaptureSaver {
    private CaptureSaver() {
    }

    /** Returns the events written; stops (and deletes the file) when {@code cancelled} says so. */
    public static long save(ShownCapture capture, Path target, LongConsumer progress, BooleanSupplier cancelled)
            throws IOException {
        if (capture.live().isPresent()) {
            return saveLive(capture.live().get(), target, progress, cancelled);
        }
        Path source = capture.file().orElseThrow(() -> new IOException("there is nothing to save yet"));
        if (Files.exists(target) && Files.isSameFile(source, target)) {
            return capture.store().size(); // saving a file onto itself: it is saved
        }
        try (InputStream in = Files.newInputStream(source); OutputStream out = PrivateFiles.create(target)) {
            in.transferTo(out);
        }
        return capture.store().size();
    }

    private static long saveLive(LiveCapture live, Path target, LongConsumer progress, BooleanSupplier cancelled)
            throws IOException {
        EventStore store = live.store();
        long size = store.size();
        boolean stopped = false;
        try (CaptureWriter writer = new CaptureWriter(new BufferedOutputStream(PrivateFiles.create(target), 1 << 16),
                live.header())) {
            for (long seq = 1; seq <= size; seq++) {
                RawRecord record = store.get(seq);
                writer.append(record.bytes(), record.offset(), record.length());
                if ((seq & 8191) == 0) {
                    progress.accept(seq);
                    if (cancelled.getAsBoolean()) {
                        stopped = true;
                        break;
                    }
                }
            }
            if (!stopped) {
                CaptureCounters counters = live.counters();
                writer.finish(new CaptureCounters(counters.bootNanos(), size, counters.droppedInUserSpace(),
                        counters.probes()));
            }
        }
        if (stopped) {
            Files.deleteIfExists(target);
            return 0;
        }
        progress.accept(size);
        return size;
    }
}
