package io.bpfscope.capture.store;

import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFileIndex;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A capture file opened for browsing: its header, a store that reads events
 * back from the file by block, the last counters, and whether the file is
 * whole. A file with an index at its end (see {@link CaptureFileIndex}) opens
 * from it without reading its blocks, which are checked as they are first read
 * ({@link EventStore#damage()}); any other file (cut, older, or an index that
 * does not hold up) is read once, keeping a few bytes per block.
 *
 * @param fromIndex  true when the file's own index was used, false when it was scanned
 * @param indexNote  why the index was not used (empty when it was)
 * @param fileIndex  the file's index when it was used: per block, its records and first and last times
 */
public record CaptureIndex(CaptureHeader header, EventStore store, Optional<CaptureCounters> counters,
                           boolean complete, Optional<String> problem, boolean fromIndex, String indexNote,
                           Optional<CaptureFileIndex> fileIndex)
        implements AutoCloseable {

    static CaptureIndex build(Path path, EventStore scanStore) throws IOException {
        try {
            CaptureFileIndex.Outcome outcome = CaptureFileIndex.read(path);
            if (outcome.index().isPresent()) {
                CaptureFileIndex index = outcome.index().get();
                scanStore.close();
                return new CaptureIndex(index.header(), EventStore.ofIndexedBlocks(path, index),
                        Optional.of(index.counters()), true, Optional.empty(), true, "", Optional.of(index));
            }
            return scan(path, scanStore, outcome.why());
        } catch (IOException | RuntimeException e) {
            scanStore.close();
            throw e;
        }
    }

    private static CaptureIndex scan(Path path, EventStore store, String why) throws IOException {
        try (CaptureReader reader = CaptureReader.open(path)) {
            reader.setBlockListener(store::blockWritten);
            while (reader.next() != null) {
                // reading checks every block; the store keeps only where they are
            }
            store.publishIndexed();
            return new CaptureIndex(reader.header(), store, reader.counters(), reader.complete(), reader.problem(),
                    false, why, Optional.empty());
        }
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
