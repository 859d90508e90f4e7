package io.bpfscope.capture.file;

import com.google.gson.Gson;
import io.bpfscope.bridge.ring.RecordBatch;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Writes a {@code .bscap} as it records (see {@link CaptureFormat}). Events
 * gather into a block that is written when it reaches {@link #BLOCK_BYTES}
 * or on {@link #flush()}; the recorder flushes about once a second, so a
 * killed recorder leaves a file that holds all but its last second.
 *
 * <p>Not thread-safe: one writer thread.
 */
public final class CaptureWriter implements AutoCloseable {
    /** An events block is written once it holds this many bytes. */
    public static final int BLOCK_BYTES = 256 * 1024;
    private static final Gson GSON = new Gson();

    private final OutputStream out;
    private byte[] block = new byte[BLOCK_BYTES + 64 * 1024];
    private int blockUsed = 4; // room for the count
    private int blockEvents;
    private long events;
    private long bytes;
    private boolean finished;
    private BlockListener blockListener = (firstSeq, count, offset, length) -> { };
    private CaptureFileIndex.Builder index; // null: no INDEX block at the end (a stream)

    /** Told where each events block landed, so a store can read evicted events back. */
    public interface BlockListener {
        void onEventsBlock(long firstSeq, int count, long fileOffset, int payloadLength);
    }

    /** Writes the magic and the header at once, so even an empty recording is a valid file. */
    public CaptureWriter(OutputStream out, CaptureHeader header) throws IOException {
        this.out = out;
        byte[] json = GSON.toJson(header).getBytes(StandardCharsets.UTF_8);
        ByteBuffer start = ByteBuffer.allocate(CaptureFormat.MAGIC.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        start.put(CaptureFormat.MAGIC).putShort((short) CaptureFormat.VERSION).putShort((short) 0).putInt(json.length);
        write(start.array());
        write(json);
        out.flush();
    }

    /**
     * Ends the file, after its END block, with an INDEX block and a trailer (see {@link CaptureFileIndex}),
     * so it opens without reading every block. Only for files: a reader of a stream stops at END.
     */
    public CaptureWriter indexAtEnd() {
        index = new CaptureFileIndex.Builder();
        return this;
    }

    /** Called on the writer's thread after each events block is written. */
    public void setBlockListener(BlockListener listener) {
        this.blockListener = listener;
    }

    /** Adds every record of a batch. */
    public void append(RecordBatch batch) throws IOException {
        for (int i = 0; i < batch.count(); i++) {
            append(batch.bytes(), batch.offset(i), batch.length(i));
        }
    }

    /** Adds one raw record. */
    public void append(byte[] record, int offset, int length) throws IOException {
        if (blockUsed + 4 + length > block.length) {
            if (blockEvents > 0) {
                writeEventsBlock();
            }
            if (4 + 4 + length > block.length) {
                block = Arrays.copyOf(block, 8 + length);
            }
        }
        putInt(block, blockUsed, length);
        System.arraycopy(record, offset, block, blockUsed + 4, length);
        if (index != null) {
            index.record(record, offset, length);
        }
        blockUsed += 4 + length;
        blockEvents++;
        events++;
        if (blockUsed >= BLOCK_BYTES) {
            writeEventsBlock();
        }
    }

    /** Writes the pending events and the counters so far, and pushes them to the file. */
    public void flush(CaptureCounters counters) throws IOException {
        if (blockEvents > 0) {
            writeEventsBlock();
        }
        noteOtherBlock();
        writeBlock(CaptureFormat.BLOCK_COUNTERS, GSON.toJson(counters).getBytes(StandardCharsets.UTF_8), -1);
        out.flush();
    }

    /** Writes the pending events and pushes them out, without counters: for a reader waiting on a stream. */
    public void flushEvents() throws IOException {
        if (blockEvents > 0) {
            writeEventsBlock();
        }
        out.flush();
    }

    /** Declares a probe attached after the header was written (the GUI attaches as it goes). */
    public void addProbe(CaptureHeader.ProbeEntry probe) throws IOException {
        if (blockEvents > 0) {
            writeEventsBlock(); // its records come before the probe's first event
        }
        noteOtherBlock();
        writeBlock(CaptureFormat.BLOCK_PROBE, GSON.toJson(probe).getBytes(StandardCharsets.UTF_8), -1);
    }

    /** Writes a REPLY block (the capture helper's answer to a command) and pushes it out at once. */
    public void addReply(byte[] json) throws IOException {
        if (blockEvents > 0) {
            writeEventsBlock();
        }
        writeBlock(CaptureFormat.BLOCK_REPLY, json, -1);
        out.flush();
    }

    /** Writes what is pending and the END block with the final counts, then closes the stream. */
    public void finish(CaptureCounters counters) throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            if (blockEvents > 0) {
                writeEventsBlock();
            }
            noteOtherBlock();
            writeBlock(CaptureFormat.BLOCK_END, GSON.toJson(counters).getBytes(StandardCharsets.UTF_8), -1);
            if (index != null) {
                long indexOffset = bytes;
                writeBlock(CaptureFormat.BLOCK_INDEX, index.payload(), -1);
                write(CaptureFileIndex.trailer(indexOffset));
            }
            out.flush();
        } finally {
            out.close();
        }
    }

    public long eventsWritten() {
        return events;
    }

    public long bytesWritten() {
        return bytes;
    }

    /** What the file will hold once the pending events are written: for rotating by size. */
    public long sizeWithPending() {
        return bytes + (blockEvents > 0 ? CaptureFormat.BLOCK_HEADER_SIZE + blockUsed : 0);
    }

    private void writeEventsBlock() throws IOException {
        putInt(block, 0, blockEvents);
        long offset = bytes;
        writeBlock(CaptureFormat.BLOCK_EVENTS, block, blockUsed);
        if (index != null) {
            index.eventsBlock(offset, blockUsed, blockEvents);
        }
        out.flush(); // the listener may read the block back from the file at once
        blockListener.onEventsBlock(events - blockEvents + 1, blockEvents, offset, blockUsed);
        blockUsed = 4;
        blockEvents = 0;
    }

    /** The INDEX lists where the PROBE, COUNTERS and END blocks are, so opening reads them without a scan. */
    private void noteOtherBlock() {
        if (index != null) {
            index.otherBlock(bytes);
        }
    }

    private void writeBlock(int type, byte[] payload, int length) throws IOException {
        int size = length < 0 ? payload.length : length;
        CRC32 crc = new CRC32();
        crc.update(payload, 0, size);
        byte[] header = new byte[CaptureFormat.BLOCK_HEADER_SIZE];
        putInt(header, 0, type);
        putInt(header, 4, size);
        putInt(header, 8, (int) crc.getValue());
        write(header);
        out.write(payload, 0, size);
        bytes += size;
    }

    private void write(byte[] data) throws IOException {
        out.write(data);
        bytes += data.length;
    }

    static void putInt(byte[] array, int at, int value) {
        array[at] = (byte) value;
        array[at + 1] = (byte) (value >>> 8);
        array[at + 2] = (byte) (value >>> 16);
        array[at + 3] = (byte) (value >>> 24);
    }

    /** Closes without the END block (the file then reads as cut short). */
    @Override
    public void close() throws IOException {
        if (!finished) {
            finished = true;
            try {
                if (blockEvents > 0) {
                    writeEventsBlock();
                }
                out.flush();
            } finally {
                out.close();
            }
        }
    }
}
