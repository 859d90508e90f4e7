package io.bpfscope.ui.files;

import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.helper.LiveCapture;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.io.AtomicOutput;
import io.bpfscope.ui.common.ShownCapture;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Save: writes the capture on screen to a {@code .bscap}, whole or not at all
 * (an {@link AtomicOutput}: 0600, the user's, never through a link). A live capture is written from its store, with the header of
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
        try (InputStream in = Files.newInputStream(source);
             AtomicOutput output = AtomicOutput.open(target, true, List.of(source))) {
            in.transferTo(output.stream());
            output.commit();
        }
        return capture.store().size();
    }

    private static long saveLive(LiveCapture live, Path target, LongConsumer progress, BooleanSupplier cancelled)
            throws IOException {
        EventStore store = live.store();
        long size = store.size();
        try (AtomicOutput output = AtomicOutput.open(target, true, List.of(live.file()))) {
            CaptureWriter writer = new CaptureWriter(new BufferedOutputStream(output.stream(), 1 << 16), live.header())
                    .indexAtEnd();
            for (long seq = 1; seq <= size; seq++) {
                RawRecord record = store.get(seq);
                writer.append(record.bytes(), record.offset(), record.length());
                if ((seq & 8191) == 0) {
                    progress.accept(seq);
                    if (cancelled.getAsBoolean()) {
                        return 0; // closed without a commit: nothing is left behind
                    }
                }
            }
            CaptureCounters counters = live.counters();
            writer.finish(new CaptureCounters(counters.bootNanos(), size, counters.droppedInUserSpace(),
                    counters.probes()));
            output.commit();
        }
        progress.accept(size);
        return size;
    }
}
