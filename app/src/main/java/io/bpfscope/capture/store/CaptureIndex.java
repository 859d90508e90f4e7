package io.bpfscope.capture.store;

import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A capture file opened for browsing: its header, a store that reads events
 * back from the file by block, the last counters, and whether the file is
 * whole. Building it reads the file once and keeps a few bytes per block.
 */
public record CaptureIndex(CaptureHeader header, EventStore store, Optional<CaptureCounters> counters,
                           boolean complete, Optional<String> problem) implements AutoCloseable {

    static CaptureIndex build(Path path, EventStore store) throws IOException {
        try (CaptureReader reader = CaptureReader.open(path)) {
            reader.setBlockListener(store::blockWritten);
            while (reader.next() != null) {
                // reading checks every block; the store keeps only where they are
            }
            store.publishIndexed();
            return new CaptureIndex(reader.header(), store, reader.counters(), reader.complete(), reader.problem());
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
