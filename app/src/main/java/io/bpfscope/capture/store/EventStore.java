package io.bpfscope.capture.store;

import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.capture.file.CaptureFileIndex;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.RawRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import io.bpfscope.probes.EventHeader;

/**
 * Every record of a capture, append-only, numbered from 1 in arrival order.
 *
 * <p>Memory stays bounded: recent batches are kept as the ring reader made
 * them (no copy); once their records are in the capture file (an events block,
 * see {@link #blockWritten}) and the memory budget is exceeded, the oldest are
 * dropped and read back from the file on demand, a block at a time. The index
 * of the file costs a few bytes per block, not per event.
 *
 * <p>One writer thread ({@link #append}, {@link #blockWritten}), any number of
 * reader threads ({@link #get}, {@link #size}). A reader sees a batch whole or
 * not at all: {@link #size()} is published after it.
 */
public final class EventStore implements AutoCloseable {
    public static final long DEFAULT_MEMORY_BUDGET = 256L << 20;
    private static final int CACHED_BLOCKS = 16;

    private final long memoryBudget;
    private final String fileName;
    private FileChannel file;
    /** Opened from a file's index: each block's header and checksum are checked when it is first read. */
    private boolean verifyOnRead;
    private final java.util.BitSet damagedBlocks = new java.util.BitSet(); // guarded by blockCache
    private volatile String firstDamage;
    private volatile java.util.function.Consumer<String> damageListener = what -> { };

    /**
     * Recent records in memory: batches[i] holds seqs [firsts[i], firsts[i] + count).
     * Readers take one snapshot and use only it; the writer publishes a new one per change.
     */
    private record MemoryView(RecordBatch[] batches, long[] firsts, int start, int end) {
    }

    /** Events blocks in the file: block i holds seqs [firsts[i], firsts[i] + counts[i]). */
    private record BlockView(long[] firsts, int[] counts, long[] offsets, int[] lengths, int count) {
    }

    private volatile MemoryView memory = new MemoryView(new RecordBatch[64], new long[64], 0, 0);
    private volatile BlockView disk = new BlockView(new long[64], new int[64], new long[64], new int[64], 0);
    private long memBytes;
    private long onDisk; // every seq <= onDisk is in a written block (writer thread)

    private volatile long size;
    private final Map<Integer, byte[]> blockCache = new LinkedHashMap<>(CACHED_BLOCKS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
            return size() > CACHED_BLOCKS;
        }
    };

    /** A store that keeps everything in memory (no file behind it). */
    public EventStore() {
        this(Long.MAX_VALUE, null, null);
    }

    /**
     * A store backed by the capture file being written at {@code path}:
     * batches beyond {@code memoryBudget} bytes are dropped once on disk.
     */
    public EventStore(long memoryBudget, Path path) throws IOException {
        this(memoryBudget, path, FileChannel.open(path, StandardOpenOption.READ));
    }

    private EventStore(long memoryBudget, Path path, FileChannel file) {
        this.memoryBudget = memoryBudget;
        this.fileName = path == null ? "memory" : path.toString();
        this.file = file;
    }

    /**
     * Opens a capture file for browsing without loading its events: only the
     * block headers are read. A cut last block is indexed up to its last
     * complete record; damage stops the index there ({@link CaptureIndex#problem()}).
     */
    public static CaptureIndex index(Path path) throws IOException {
        return CaptureIndex.build(path, new EventStore(0, path));
    }

    /** A store over the blocks a file's index lists, checked as they are first read. */
    static EventStore ofIndexedBlocks(Path path, CaptureFileIndex index) throws IOException {
        EventStore store = new EventStore(0, path);
        int count = index.counts().length;
        long[] firsts = new long[Math.max(1, count)];
        long seq = 1;
        for (int i = 0; i < count; i++) {
            firsts[i] = seq;
            seq += index.counts()[i];
        }
        store.disk = new BlockView(firsts, index.counts().clone(), index.offsets().clone(), index.lengths().clone(), count);
        store.onDisk = seq - 1;
        store.size = seq - 1;
        store.verifyOnRead = true;
        return store;
    }

    /**
     * The first damage found in a block read so far (a store opened from an index finds it
     * when the block is first read), with how many blocks in all; empty while none.
     */
    public Optional<String> damage() {
        String first = firstDamage;
        if (first == null) {
            return Optional.empty();
        }
        int blocks;
        synchronized (blockCache) {
            blocks = damagedBlocks.cardinality();
        }
        return Optional.of(blocks > 1 ? first + " (" + blocks + " damaged blocks so far)" : first);
    }

    /** Told once per damaged block, on the thread that read it, the line {@link #damage()} would give. */
    public void setDamageListener(java.util.function.Consumer<String> listener) {
        this.damageListener = listener;
    }

    /** Adds a batch; the store keeps it, so the caller must not reuse it. Writer thread only. */
    public void append(RecordBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        MemoryView view = memory;
        if (view.end == view.batches.length) {
            view = compactOrGrow(view);
        }
        // Slots past view.end are invisible to readers until the new view is published.
        view.batches[view.end] = batch;
        view.firsts[view.end] = size + 1;
        memory = new MemoryView(view.batches, view.firsts, view.start, view.end + 1);
        memBytes += batch.bytes().length;
        size += batch.count(); // publishes the batch to readers of size()
        evict();
    }

    /** The capture file now holds seqs [firstSeq, firstSeq + count) in a block at fileOffset. Writer thread only. */
    public void blockWritten(long firstSeq, int count, long fileOffset, int payloadLength) {
        if (count == 0) {
            return;
        }
        BlockView view = disk;
        long[] firsts = view.firsts;
        int[] counts = view.counts;
        long[] offsets = view.offsets;
        int[] lengths = view.lengths;
        if (view.count == firsts.length) {
            int grown = view.count * 2;
            firsts = Arrays.copyOf(firsts, grown);
            counts = Arrays.copyOf(counts, grown);
            offsets = Arrays.copyOf(offsets, grown);
            lengths = Arrays.copyOf(lengths, grown);
        }
        firsts[view.count] = firstSeq;
        counts[view.count] = count;
        offsets[view.count] = fileOffset;
        lengths[view.count] = payloadLength;
        disk = new BlockView(firsts, counts, offsets, lengths, view.count + 1);
        onDisk = firstSeq + count - 1;
        evict();
    }

    /** Events blocks indexed so far. */
    public int blockCount() {
        return disk.count;
    }

    /**
     * For a store built from a file's blocks alone: publishes what the indexed
     * blocks hold (records of a damaged block are not browsable; export still reads them).
     */
    void publishIndexed() {
        size = onDisk;
    }

    /** Records stored. */
    public long size() {
        return size;
    }

    /** Bytes of record batches held in memory. */
    public long memoryBytes() {
        return memBytes;
    }

    /** Record {@code seq} (1-based, up to {@link #size()}), from memory or read back from the file. */
    public RawRecord get(long seq) {
        long limit = size;
        if (seq < 1 || seq > limit) {
            throw new IndexOutOfBoundsException("seq " + seq + " of " + limit);
        }
        RawRecord inMemory = fromMemory(seq);
        return inMemory != null ? inMemory : fromFile(seq);
    }

    private RawRecord fromMemory(long seq) {
        MemoryView view = memory;
        if (view.start == view.end || view.firsts[view.start] > seq) {
            return null; // dropped from memory: it is in the file
        }
        int lo = view.start;
        int hi = view.end - 1;
        while (lo < hi) { // the last batch whose first seq <= seq
            int mid = (lo + hi + 1) >>> 1;
            if (view.firsts[mid] <= seq) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        RecordBatch batch = view.batches[lo];
        int i = (int) (seq - view.firsts[lo]);
        if (batch == null || i >= batch.count()) {
            return null; // evicted after we took the view
        }
        return new RawRecord(seq, batch.bytes(), batch.offset(i), batch.length(i));
    }

    private RawRecord fromFile(long seq) {
        BlockView view = disk;
        int lo = 0;
        int hi = view.count - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (view.firsts[mid] <= seq) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if (view.count == 0 || seq < view.firsts[lo] || seq >= view.firsts[lo] + view.counts[lo]) {
            throw new IllegalStateException("seq " + seq + " is neither in memory nor in " + fileName);
        }
        byte[] block = readBlock(view, lo);
        int pos = 4;
        for (long s = view.firsts[lo]; s < seq; s++) {
            pos += 4 + CaptureReader.getInt(block, pos);
        }
        return new RawRecord(seq, block, pos + 4, CaptureReader.getInt(block, pos));
    }

    private byte[] readBlock(BlockView view, int index) {
        synchronized (blockCache) {
            byte[] cached = blockCache.get(index);
            if (cached != null) {
                return cached;
            }
            try {
                int headerBytes = verifyOnRead ? CaptureFormat.BLOCK_HEADER_SIZE : 0;
                ByteBuffer buffer = ByteBuffer.allocate(headerBytes + view.lengths[index]);
                long position = view.offsets[index] + CaptureFormat.BLOCK_HEADER_SIZE - headerBytes;
                while (buffer.hasRemaining()) {
                    if (file.read(buffer, position + buffer.position()) < 0) {
                        break; // a cut last block: its complete records are what was indexed
                    }
                }
                byte[] block = verifyOnRead ? verified(buffer.array(), view, index) : buffer.array();
                blockCache.put(index, block);
                return block;
            } catch (IOException e) {
                throw new UncheckedIOException(fileName + ": reading events back at offset " + view.offsets[index], e);
            }
        }
    }

    /**
     * The payload of an indexed block once its header, checksum and records are checked
     * against the index. A damaged block keeps its numbering: the records whose lengths
     * still add up are served as they are (as a scan would), the rest as empty records,
     * which read as damaged; the damage is reported now, when it is first seen.
     */
    private byte[] verified(byte[] read, BlockView view, int index) {
        int length = view.lengths[index];
        int count = view.counts[index];
        byte[] payload = Arrays.copyOfRange(read, CaptureFormat.BLOCK_HEADER_SIZE, read.length);
        CRC32 check = new CRC32();
        check.update(payload);
        boolean whole = CaptureReader.getInt(read, 0) == CaptureFormat.BLOCK_EVENTS
                && CaptureReader.getInt(read, 4) == length && CaptureReader.getInt(read, 8) == (int) check.getValue()
                && CaptureReader.getInt(payload, 0) == count;
        int intact = CaptureReader.intactRecords(payload, count, whole ? 0 : EventHeader.SIZE);
        if (whole && intact == count) {
            return payload;
        }
        int end = 4;
        for (int i = 0; i < intact; i++) {
            end += 4 + CaptureReader.getInt(payload, end);
        }
        byte[] repaired = Arrays.copyOf(payload, end + 4 * (count - intact));
        Arrays.fill(repaired, end, repaired.length, (byte) 0); // the missing records: length 0
        noteDamage(index, fileName + ": offset " + view.offsets[index] + ": "
                + (whole ? "an events block holds fewer whole records than it promises" : "block checksum mismatch, the file is damaged here")
                + "; " + intact + " of its " + count + " events (from #" + view.firsts[index] + ") are intact, the rest show as damaged");
        return repaired;
    }

    private void noteDamage(int block, String what) {
        if (damagedBlocks.get(block)) {
            return;
        }
        damagedBlocks.set(block);
        if (firstDamage == null) {
            firstDamage = what;
        }
        damageListener.accept(what);
    }

    /** Drops the oldest in-memory batches that are safely on disk while over budget. */
    private void evict() {
        MemoryView view = memory;
        int start = view.start;
        while (memBytes > memoryBudget && start < view.end) {
            RecordBatch oldest = view.batches[start];
            if (view.firsts[start] + oldest.count() - 1 > onDisk) {
                break; // not on disk yet: keep it
            }
            memBytes -= oldest.bytes().length;
            start++;
        }
        if (start != view.start) {
            memory = new MemoryView(view.batches, view.firsts, start, view.end);
            // Let the garbage collector have them; a reader holding the old view sees null and reads the file.
            Arrays.fill(view.batches, view.start, start, null);
        }
    }

    private static MemoryView compactOrGrow(MemoryView view) {
        int live = view.end - view.start;
        int capacity = live * 2 < view.batches.length ? view.batches.length : view.batches.length * 2;
        RecordBatch[] batches = new RecordBatch[capacity];
        long[] firsts = new long[capacity];
        System.arraycopy(view.batches, view.start, batches, 0, live);
        System.arraycopy(view.firsts, view.start, firsts, 0, live);
        return new MemoryView(batches, firsts, 0, live);
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            file.close();
            file = null;
        }
    }
}
