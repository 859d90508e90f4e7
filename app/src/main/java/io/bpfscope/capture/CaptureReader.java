package io.bpfscope.capture;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Reads a {@code .bscap} one record at a time, from a file or a stream
 * (stdin). A file that is not a capture fails at once with
 * {@link CaptureFormatException}; a file cut short or damaged later yields
 * every complete record before the damage, and {@link #problem()} says where
 * it stopped and why. Not thread-safe.
 */
public final class CaptureReader implements AutoCloseable {
    private static final Gson GSON = new Gson();

    private final InputStream in;
    private final String name;
    private volatile CaptureHeader header; // grows with PROBE blocks; export workers read it
    private long offset;
    private byte[] block = new byte[0];
    private int blockPos;
    private int blockRemaining;
    private long seq;
    private volatile CaptureCounters counters; // read by StreamCapture's publisher while this reads on
    private boolean complete;
    private boolean done;
    private String problem;
    private CaptureWriter.BlockListener blockListener = (firstSeq, count, offset, length) -> { };
    private java.util.function.BiConsumer<Integer, byte[]> otherBlocks = (type, payload) -> { };

    private CaptureReader(InputStream in, String name) throws IOException {
        this.in = in;
        this.name = name;
        this.header = readHeader();
    }

    public static CaptureReader open(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file");
        }
        return new CaptureReader(new BufferedInputStream(Files.newInputStream(path), 1 << 16), path.toString());
    }

    /** Reads from a stream, e.g. stdin fed by {@code bpfscope record -o -}. */
    public static CaptureReader open(InputStream in, String name) throws IOException {
        return new CaptureReader(in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16), name);
    }

    /** The header, with the probes declared later in the file (PROBE blocks) as far as read. */
    public CaptureHeader header() {
        return header;
    }

    /** The next record, or null at the end (or at the damage; see {@link #problem()}). */
    public RawRecord next() throws IOException {
        while (blockRemaining == 0) {
            if (done || !readBlock()) {
                done = true;
                return null;
            }
        }
        if (blockPos + 4 > block.length) {
            return damaged("an events block promises more records than it holds");
        }
        int length = getInt(block, blockPos);
        if (length < 0 || blockPos + 4 + length > block.length) {
            return damaged("a record of " + length + " bytes runs past its block");
        }
        blockRemaining--;
        RawRecord record = new RawRecord(++seq, block, blockPos + 4, length);
        blockPos += 4 + length;
        return record;
    }

    /** Told where each events block is, as it is read (to index a file without keeping its events). */
    public void setBlockListener(CaptureWriter.BlockListener listener) {
        this.blockListener = listener;
    }

    /** Given the blocks of types this reader does not use itself (e.g. the capture helper's REPLY blocks), in order. */
    public void setOtherBlockListener(java.util.function.BiConsumer<Integer, byte[]> listener) {
        this.otherBlocks = listener;
    }

    /** True when {@link #next()} may have to wait for the stream (nothing buffered): publish what you have first. */
    public boolean mayBlock() throws IOException {
        return blockRemaining == 0 && !done && in.available() == 0;
    }

    /** Bytes read from the file so far (for progress). */
    public long offset() {
        return offset;
    }

    /** The latest counters block read so far (the final ones once the END block is read), if any. */
    public Optional<CaptureCounters> counters() {
        return Optional.ofNullable(counters);
    }

    /** True when the file ended with its END block: nothing was cut. */
    public boolean complete() {
        return complete;
    }

    /** Why reading stopped early, in one line; empty when the file is whole. Meaningful after the last record. */
    public Optional<String> problem() {
        if (problem == null && done && !complete) {
            return Optional.of(name + ": the capture ends without its END block (recording was interrupted); "
                    + seq + " complete events were read");
        }
        return Optional.ofNullable(problem);
    }

    private CaptureHeader readHeader() throws IOException {
        byte[] magic = readFully(CaptureFormat.MAGIC.length, "the bpfscope capture magic");
        if (magic == null || !Arrays.equals(magic, CaptureFormat.MAGIC)) {
            throw new CaptureFormatException(name, 0, "expected the bpfscope capture magic \"BSCAP\", found "
                    + describe(magic) + " — this is not a .bscap file");
        }
        byte[] fixed = readFully(8, "the format version");
        if (fixed == null) {
            throw new CaptureFormatException(name, offset, "expected the format version, found the end of the file");
        }
        int version = (fixed[0] & 0xff) | (fixed[1] & 0xff) << 8;
        if (version != CaptureFormat.VERSION) {
            throw new CaptureFormatException(name, 8, "expected format version " + CaptureFormat.VERSION + ", found "
                    + version + " — open it with a bpfscope that reads that version");
        }
        int length = getInt(fixed, 4);
        if (length <= 0 || length > CaptureFormat.MAX_HEADER) {
            throw new CaptureFormatException(name, 12, "expected a header length up to 16 MiB, found " + length);
        }
        byte[] json = readFully(length, "the header");
        if (json == null) {
            throw new CaptureFormatException(name, offset, "expected a " + length + "-byte header, found the end of the file");
        }
        try {
            CaptureHeader parsed = GSON.fromJson(new String(json, StandardCharsets.UTF_8), CaptureHeader.class);
            if (parsed == null || !"bscap".equals(parsed.format())) {
                throw new CaptureFormatException(name, 16, "expected a bscap JSON header");
            }
            return parsed;
        } catch (JsonParseException e) {
            throw new CaptureFormatException(name, 16, "expected a JSON header, found damaged text");
        }
    }

    /** Reads the next block; false at the end of the file or at damage. */
    private boolean readBlock() throws IOException {
        long blockOffset = offset;
        byte[] head = readFully(CaptureFormat.BLOCK_HEADER_SIZE, "a block header");
        if (head == null) {
            return false; // a clean end between blocks (complete or not, problem() says)
        }
        int type = getInt(head, 0);
        int length = getInt(head, 4);
        int crc = getInt(head, 8);
        if (length < 0 || length > CaptureFormat.MAX_BLOCK || type <= 0 || type > 0xffff) {
            problem = name + ": offset " + blockOffset + ": expected a block header, found garbage (type " + type
                    + ", length " + length + "); " + seq + " complete events before it were read";
            return false;
        }
        byte[] payload = new byte[length];
        int got = readUpTo(payload);
        if (got < length) {
            problem = name + ": offset " + blockOffset + ": the file is cut inside a block (" + got + " of " + length
                    + " bytes)";
            if (type == CaptureFormat.BLOCK_EVENTS && got >= 4) {
                useEventsBlock(Arrays.copyOf(payload, got), true, blockOffset);
                problem += "; the complete events in it are read too";
                return true;
            }
            problem += "; " + seq + " complete events before it were read";
            return false;
        }
        CRC32 check = new CRC32();
        check.update(payload);
        if ((int) check.getValue() != crc) {
            problem = name + ": offset " + blockOffset + ": block checksum mismatch, the file is damaged here; "
                    + seq + " complete events before it were read";
            return false;
        }
        switch (type) {
            case CaptureFormat.BLOCK_EVENTS:
                useEventsBlock(payload, false, blockOffset);
                return true;
            case CaptureFormat.BLOCK_PROBE:
                try {
                    CaptureHeader.ProbeEntry probe = GSON.fromJson(new String(payload, StandardCharsets.UTF_8),
                            CaptureHeader.ProbeEntry.class);
                    header = header.withProbe(probe);
                } catch (JsonParseException e) {
                    problem = name + ": offset " + blockOffset + ": expected a probe as JSON, found damaged text";
                    return false;
                }
                return true;
            case CaptureFormat.BLOCK_COUNTERS:
            case CaptureFormat.BLOCK_END:
                try {
                    counters = GSON.fromJson(new String(payload, StandardCharsets.UTF_8), CaptureCounters.class);
                } catch (JsonParseException e) {
                    problem = name + ": offset " + blockOffset + ": expected counters as JSON, found damaged text";
                    return false;
                }
                if (type == CaptureFormat.BLOCK_END) {
                    complete = true;
                    return false;
                }
                return true;
            default:
                otherBlocks.accept(type, payload);
                return true; // a block type from a newer version: skipped
        }
    }

    private void useEventsBlock(byte[] payload, boolean cut, long blockOffset) {
        block = payload;
        blockPos = 4;
        int count = payload.length >= 4 ? getInt(payload, 0) : 0;
        if (cut) {
            // Only the records wholly inside what we have.
            int complete = 0;
            int pos = 4;
            while (complete < count && pos + 4 <= payload.length) {
                int length = getInt(payload, pos);
                if (length < 0 || pos + 4 + length > payload.length) {
                    break;
                }
                pos += 4 + length;
                complete++;
            }
            count = complete;
            done = true;
        }
        blockRemaining = Math.max(count, 0);
        if (blockRemaining > 0 && complete(payload, blockRemaining)) {
            blockListener.onEventsBlock(seq + 1, blockRemaining, blockOffset, payload.length);
        }
    }

    /** True when the block really holds {@code count} records (a damaged count is caught later, by next()). */
    private static boolean complete(byte[] payload, int count) {
        int pos = 4;
        for (int i = 0; i < count; i++) {
            if (pos + 4 > payload.length) {
                return false;
            }
            int length = getInt(payload, pos);
            if (length < 0 || pos + 4 + length > payload.length) {
                return false;
            }
            pos += 4 + length;
        }
        return true;
    }

    private RawRecord damaged(String what) {
        problem = name + ": offset " + offset + ": " + what + "; " + seq + " complete events before it were read";
        blockRemaining = 0;
        done = true;
        return null;
    }

    private byte[] readFully(int length, String what) throws IOException {
        byte[] bytes = new byte[length];
        int got = readUpTo(bytes);
        if (got == 0) {
            return null;
        }
        if (got < length) {
            if (offset - got == 0 && what.contains("magic")) {
                return Arrays.copyOf(bytes, got);
            }
            problem = name + ": offset " + (offset - got) + ": the file is cut inside " + what + "; "
                    + seq + " complete events before it were read";
            return null;
        }
        return bytes;
    }

    private int readUpTo(byte[] bytes) throws IOException {
        int got = 0;
        while (got < bytes.length) {
            int n;
            try {
                n = in.read(bytes, got, bytes.length - got);
            } catch (EOFException e) {
                n = -1;
            }
            if (n < 0) {
                break;
            }
            got += n;
        }
        offset += got;
        return got;
    }

    private static String describe(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return "an empty file";
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(String.format("%02x ", b));
        }
        return hex.toString().trim();
    }

    static int getInt(byte[] array, int at) {
        return (array[at] & 0xff) | (array[at + 1] & 0xff) << 8 | (array[at + 2] & 0xff) << 16 | (array[at + 3] & 0xff) << 24;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
