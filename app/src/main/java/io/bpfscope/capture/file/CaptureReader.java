package io.bpfscope.capture.file;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.bpfscope.capture.live.StreamCapture;
import io.bpfscope.probes.EventHeader;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Reads a {@code .bscap} one record at a time, from a file or a stream
 * (stdin). A file that is not a capture fails at once with
 * {@link CaptureFormatException}; damage later costs only what is damaged: a
 * block whose checksum does not match gives the records whose structure is
 * intact and reading goes on with the next block, a file cut short gives
 * every complete record, and {@link #problem()} says where and why. Every
 * length in the file is treated as hostile: checked in subtraction form
 * against the bytes actually there, and memory is only taken for bytes that
 * arrived. Not thread-safe.
 */
public final class CaptureReader implements AutoCloseable {
    private static final Gson GSON = new Gson();

    private final InputStream in;
    private final String name;
    private final long headerEnd;
    private volatile CaptureHeader header; // grows with PROBE blocks; export workers read it
    private long offset;
    private byte[] block = new byte[0];
    private int blockPos;
    private int blockRemaining;
    private long seq;
    private volatile CaptureCounters counters; // read by StreamCapture's publisher while this reads on
    private boolean complete;
    private boolean done;
    private String problem; // the first damage, or where reading stopped
    private volatile String inputProblem; // a merged capture's: told by the thread that merges it
    private int damagedBlocks;
    /** Bytes read ahead while looking for the next block after damage, to be read again first. */
    private byte[] pushedBack = new byte[0];
    private int pushedBackPos;
    private CaptureWriter.BlockListener blockListener = (firstSeq, count, offset, length) -> { };
    private java.util.function.BiConsumer<Integer, byte[]> otherBlocks = (type, payload) -> { };

    private CaptureReader(InputStream in, String name) throws IOException {
        this.in = in;
        this.name = name;
        this.header = readHeader();
        this.headerEnd = offset;
    }

    public static CaptureReader open(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file");
        }
        if (Files.isDirectory(path)) { // the JDK's message names no file: "Is a directory"
            throw new IOException(path + " is a directory, not a capture file (.bscap)");
        }
        // A pipe by name (a FIFO, bash's <(...)) is read as a stream: a file channel's available() fails on it.
        InputStream in = Files.isRegularFile(path) ? Files.newInputStream(path) : new FileInputStream(path.toFile());
        return new CaptureReader(new BufferedInputStream(in, 1 << 16), path.toString());
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
        if (4 > block.length - blockPos) {
            return damaged("an events block promises more records than it holds");
        }
        int length = getInt(block, blockPos);
        if (length < 0 || length > block.length - blockPos - 4) {
            return damaged("a record of " + Integer.toUnsignedString(length) + " bytes runs past its block");
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
        return blockRemaining == 0 && !done && pushedBackPos == pushedBack.length && in.available() == 0;
    }

    /** Where the blocks start: the first byte after the header. */
    public long headerEnd() {
        return headerEnd;
    }

    /** Bytes read from the file so far (for progress). */
    public long offset() {
        return offset;
    }

    /** The latest counters block read so far (the final ones once the END block is read), if any. */
    public Optional<CaptureCounters> counters() {
        return Optional.ofNullable(counters);
    }

    /** True when the file ended with its END block: nothing was cut (damage before it: see {@link #problem()}). */
    public boolean complete() {
        return complete;
    }

    /**
     * The first damage (or why reading stopped early) in one line, with the number of damaged
     * blocks when there were more; empty when the file is whole. Meaningful after the last record.
     */
    public Optional<String> problem() {
        if (inputProblem != null) {
            return Optional.of(inputProblem);
        }
        if (problem == null && done && !complete) {
            return Optional.of(name + ": the capture ends without its END block (recording was interrupted); "
                    + seq + " complete events were read");
        }
        if (problem != null && damagedBlocks > 1) {
            return Optional.of(problem + " (" + damagedBlocks + " damaged blocks in all)");
        }
        return Optional.ofNullable(problem);
    }

    /**
     * A merged capture's reader: an input's damage is the merged capture's problem (see {@link CaptureSource#ofAll}).
     * Any thread may tell it; a streamed merge does so before it writes the END block.
     */
    void noteInputProblem(String problemOfAnInput) {
        if (inputProblem == null) {
            inputProblem = problemOfAnInput;
        }
    }

    /** Blocks whose checksum or contents did not hold, each skipped or read for its intact records. */
    public int damagedBlocks() {
        return damagedBlocks;
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
        byte[] json = readAvailable(length);
        if (json.length < length) {
            throw new CaptureFormatException(name, offset, "expected a " + length + "-byte header, found the end of the file");
        }
        CaptureHeader parsed = parseJson(json, CaptureHeader.class);
        if (parsed == null || !"bscap".equals(parsed.format())) {
            throw new CaptureFormatException(name, 16, "expected a bscap JSON header");
        }
        List<CaptureHeader.ProbeEntry> probes = new ArrayList<>();
        for (CaptureHeader.ProbeEntry probe : parsed.probes()) {
            String wrong = whatIsWrong(probe);
            if (wrong != null) {
                throw new CaptureFormatException(name, 16, "expected a probe in the header, found " + wrong);
            }
            probes.add(withoutNulls(probe));
        }
        return new CaptureHeader(parsed.format(), parsed.version(), parsed.bpfscopeVersion(), parsed.hostname(),
                parsed.kernel(), parsed.bootToWallNanos(), parsed.startNanos(), parsed.ringBufferBytes(), probes);
    }

    /**
     * JSON from the file as {@code type}; null for text that is not that JSON. Gson throws
     * more than {@link JsonParseException} on hostile values (a record constructor that
     * rejects a null in a list comes back as a bare RuntimeException): all mean the same here.
     */
    static <T> T parseJson(byte[] json, Class<T> type) {
        try {
            return GSON.fromJson(new String(json, StandardCharsets.UTF_8), type);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The entry with its optional text that readers print ({@code attachedTo}) empty rather than null. */
    static CaptureHeader.ProbeEntry withoutNulls(CaptureHeader.ProbeEntry p) {
        return p.attachedTo() != null ? p : new CaptureHeader.ProbeEntry(p.source(), p.name(), p.kind(), "",
                p.libraries(), p.layout(), p.target(), p.format(), p.host());
    }

    /** What makes a probe entry unusable (null when it is fine): readers rely on its name and kind. */
    static String whatIsWrong(CaptureHeader.ProbeEntry probe) {
        if (probe == null) {
            return "null";
        }
        if (probe.name() == null || probe.name().isBlank()) {
            return "one without a name (source " + probe.source() + ")";
        }
        if (probe.kind() < 0 || probe.kind() > 0xffff || probe.source() < 0 || probe.source() > 0xffff) {
            return "kind " + probe.kind() + " and source " + probe.source() + ", expected numbers up to 65535";
        }
        return null;
    }

    /**
     * Reads the next block; false at the end of the file or where nothing more can be read.
     * A damaged block is noted and skipped (an events block first gives its intact records);
     * where the block structure itself is lost, the next intact block is looked for.
     */
    private boolean readBlock() throws IOException {
        long blockOffset = offset;
        byte[] head = readFully(CaptureFormat.BLOCK_HEADER_SIZE, "a block header");
        if (head == null) {
            return false; // a clean end between blocks (complete or not, problem() says)
        }
        int type = getInt(head, 0);
        int length = getInt(head, 4);
        int crc = getInt(head, 8);
        if (length < 0 || length > CaptureFormat.MAX_BLOCK) {
            noteDamage(blockOffset, "expected a block header, found garbage (type " + Integer.toUnsignedString(type)
                    + ", length " + Integer.toUnsignedString(length) + ")");
            if (type == CaptureFormat.BLOCK_EVENTS) {
                salvageEvents(new byte[0], blockOffset); // only the length is wrong: the records still follow
                return true;
            }
            return resync(Arrays.copyOfRange(head, 1, head.length), blockOffset + 1);
        }
        byte[] payload = readAvailable(length);
        if (payload.length < length) {
            String cut = name + ": offset " + blockOffset + ": the file is cut inside a block (" + payload.length
                    + " of " + length + " bytes)";
            if (type == CaptureFormat.BLOCK_EVENTS && payload.length >= 4) {
                problem = problem != null ? problem : cut + "; the complete events in it are read too";
                useEventsBlock(payload, intactRecords(payload, getInt(payload, 0), 0), blockOffset);
                done = true;
                return true;
            }
            problem = problem != null ? problem : cut + "; " + seq + " complete events before it were read";
            return false;
        }
        CRC32 check = new CRC32();
        check.update(payload);
        if ((int) check.getValue() != crc) {
            return damagedBlock(type, payload, blockOffset);
        }
        boolean known = type >= CaptureFormat.BLOCK_EVENTS && type <= CaptureFormat.BLOCK_PROBE;
        if (!known && isEventsBlock(payload)) {
            // The type was damaged (its checksum does not cover it), the events are whole.
            noteDamage(blockOffset, "a block of type " + Integer.toUnsignedString(type)
                    + " holds events exactly as an events block does; they were read");
            useEventsBlock(payload, getInt(payload, 0), blockOffset);
            return true;
        }
        switch (type) {
            case CaptureFormat.BLOCK_EVENTS:
                if (payload.length < 4) {
                    noteDamage(blockOffset, "an events block of " + payload.length + " bytes has no room for its count");
                    return true;
                }
                int count = getInt(payload, 0);
                int intact = intactRecords(payload, count, 0);
                if (intact != count) {
                    noteDamage(blockOffset, "an events block promises " + Integer.toUnsignedString(count)
                            + " records and holds " + intact + " whole ones; those were read");
                }
                useEventsBlock(payload, intact, blockOffset);
                return true;
            case CaptureFormat.BLOCK_PROBE: {
                CaptureHeader.ProbeEntry probe = parseJson(payload, CaptureHeader.ProbeEntry.class);
                String wrong = whatIsWrong(probe);
                if (wrong != null) {
                    noteDamage(blockOffset, "expected a probe as JSON, found " + (probe == null ? "no probe (damaged text or null)" : wrong)
                            + "; its records cannot be decoded");
                    return true;
                }
                header = header.withProbe(withoutNulls(probe));
                return true;
            }
            case CaptureFormat.BLOCK_COUNTERS:
            case CaptureFormat.BLOCK_END: {
                CaptureCounters read = parseJson(payload, CaptureCounters.class);
                if (read == null || read.probes().stream().anyMatch(p -> p == null || p.name() == null)) {
                    noteDamage(blockOffset, "expected counters as JSON, found damaged text");
                } else {
                    counters = read;
                }
                if (type == CaptureFormat.BLOCK_END) {
                    complete = true;
                    return false;
                }
                return true;
            }
            default:
                if (type <= 0 || type > 0xffff) {
                    noteDamage(blockOffset, "a block of type " + Integer.toUnsignedString(type)
                            + ", which no version writes, was skipped");
                } else {
                    otherBlocks.accept(type, payload);
                }
                return true; // a block type from a newer version: skipped
        }
    }

    /**
     * A block whose checksum does not match. Where the damage is, the checksum cannot say:
     * an events block gives the records whose lengths still add up (each at least an event
     * header). If the walk ends before the block does, or the block is not events, its
     * length may be the damaged part: the next intact block is looked for from there.
     */
    private boolean damagedBlock(int type, byte[] payload, long blockOffset) throws IOException {
        if (type == CaptureFormat.BLOCK_EVENTS) {
            noteDamage(blockOffset, "block checksum mismatch, the file is damaged here");
            salvageEvents(payload, blockOffset);
            return true;
        }
        noteDamage(blockOffset, "block checksum mismatch, the file is damaged here; the block was skipped");
        return resync(payload, blockOffset + CaptureFormat.BLOCK_HEADER_SIZE);
    }

    /**
     * An events block whose length cannot be trusted: its records are read from the start
     * of its payload ({@code start}, then what follows in the file) while each length fits
     * and is at least an event header (the next block's header, a small type, ends the walk);
     * then the next intact block is looked for from where the walk ended.
     */
    private void salvageEvents(byte[] start, long blockOffset) throws IOException {
        byte[] more = readAvailable(RESYNC_WINDOW);
        byte[] bytes = Arrays.copyOf(start, start.length + more.length);
        System.arraycopy(more, 0, bytes, start.length, more.length);
        int intact = bytes.length < 4 ? 0 : intactRecords(bytes, -1, EventHeader.SIZE); // -1: as many as fit
        int end = Math.min(recordsEnd(bytes, intact), bytes.length);
        explainFirstDamage("; " + intact + " events of the block whose structure is intact were read");
        useEventsBlock(Arrays.copyOf(bytes, end), intact, blockOffset);
        resync(Arrays.copyOfRange(bytes, end, bytes.length), blockOffset + CaptureFormat.BLOCK_HEADER_SIZE + end);
        // the intact records are handed out first; next() stops after them if no block was found
    }

    /** Bytes searched for the next intact block after damage: more than two blocks as the writer makes them. */
    private static final int RESYNC_WINDOW = 2 << 20;

    /**
     * Looks for the next intact block in {@code pending} (bytes already read, which start
     * at file offset {@code pendingOffset}) and up to {@link #RESYNC_WINDOW} bytes more: a
     * header of a known type whose payload lies in the window and matches its checksum.
     * Checksums are computed for a bounded number of bytes, so hostile input cannot make
     * this quadratic. What follows the block found is read again from there.
     *
     * @return true when a block was found (reading goes on there); false when reading stops
     */
    private boolean resync(byte[] pending, long pendingOffset) throws IOException {
        byte[] more = readAvailable(Math.max(0, RESYNC_WINDOW - pending.length));
        byte[] window = Arrays.copyOf(pending, pending.length + more.length);
        System.arraycopy(more, 0, window, pending.length, more.length);
        long checksumBudget = 4L * RESYNC_WINDOW;
        CRC32 check = new CRC32();
        for (int at = 0; CaptureFormat.BLOCK_HEADER_SIZE <= window.length - at; at++) {
            int type = getInt(window, at);
            int length = getInt(window, at + 4);
            if (type < CaptureFormat.BLOCK_EVENTS || type > CaptureFormat.BLOCK_PROBE || length < 0
                    || length > window.length - at - CaptureFormat.BLOCK_HEADER_SIZE) {
                continue;
            }
            checksumBudget -= length;
            if (checksumBudget < 0) {
                break;
            }
            check.reset();
            check.update(window, at + CaptureFormat.BLOCK_HEADER_SIZE, length);
            if ((int) check.getValue() == getInt(window, at + 8)
                    && plausible(type, Arrays.copyOfRange(window, at + CaptureFormat.BLOCK_HEADER_SIZE,
                            at + CaptureFormat.BLOCK_HEADER_SIZE + length))) {
                // Read again from the block found: the rest of the window, then what was pushed back before.
                byte[] again = Arrays.copyOfRange(window, at, window.length + pushedBack.length - pushedBackPos);
                System.arraycopy(pushedBack, pushedBackPos, again, window.length - at, pushedBack.length - pushedBackPos);
                pushedBack = again;
                pushedBackPos = 0;
                offset = pendingOffset + at;
                explainFirstDamage("; reading went on at offset " + offset);
                return true;
            }
        }
        explainFirstDamage("; no intact block was found after it");
        done = true;
        return false;
    }

    /** Adds to the line of the first damage how reading went on after it (later damage only counts). */
    private void explainFirstDamage(String how) {
        if (damagedBlocks == 1) {
            problem += how;
        }
    }

    /**
     * Whether a payload whose checksum matched looks like its type's (runs of zero bytes in
     * records look like empty blocks with a zero checksum): whole events, or a JSON object.
     */
    private static boolean plausible(int type, byte[] payload) {
        if (type == CaptureFormat.BLOCK_EVENTS) {
            return isEventsBlock(payload);
        }
        return payload.length >= 2 && payload[0] == '{' && payload[payload.length - 1] == '}';
    }

    /** True when {@code payload} is an events block exactly: its count of whole records, nothing after. */
    private static boolean isEventsBlock(byte[] payload) {
        if (payload.length < 4) {
            return false;
        }
        int count = getInt(payload, 0);
        int intact = intactRecords(payload, count, EventHeader.SIZE);
        return count > 0 && intact == count && recordsEnd(payload, intact) == payload.length;
    }

    /** Where the first {@code records} records of an events block end (they were checked to be whole). */
    private static int recordsEnd(byte[] payload, int records) {
        int pos = 4;
        for (int i = 0; i < records; i++) {
            pos += 4 + getInt(payload, pos);
        }
        return pos;
    }

    /** One more damaged block; the first one's line is the one {@link #problem()} gives. */
    private void noteDamage(long blockOffset, String what) {
        damagedBlocks++;
        if (problem == null) {
            problem = name + ": offset " + blockOffset + ": " + what + "; " + seq + " complete events before it were read";
        }
    }

    /**
     * How many of the first {@code count} (unsigned) records lie wholly inside the payload,
     * walking their lengths from the start; the walk stops at the first length that does
     * not fit or is shorter than {@code minimum} (in a damaged block, where shorter means garbage).
     */
    public static int intactRecords(byte[] payload, int count, int minimum) {
        int intact = 0;
        int pos = 4;
        while (Integer.compareUnsigned(intact, count) < 0 && 4 <= payload.length - pos) {
            int length = getInt(payload, pos);
            if (length < minimum || length > payload.length - pos - 4) {
                break;
            }
            pos += 4 + length;
            intact++;
        }
        return intact;
    }

    /** Hands out the first {@code records} records of an events block (they were checked to be whole). */
    private void useEventsBlock(byte[] payload, int records, long blockOffset) {
        block = payload;
        blockPos = 4;
        blockRemaining = records;
        if (records > 0) {
            blockListener.onEventsBlock(seq + 1, records, blockOffset, payload.length);
        }
    }

    private RawRecord damaged(String what) {
        if (problem == null) {
            problem = name + ": offset " + offset + ": " + what + "; " + seq + " complete events before it were read";
        }
        blockRemaining = 0;
        done = true;
        return null;
    }

    /**
     * Up to {@code length} bytes, fewer at the end of the input. The buffer grows with what
     * arrives, so a hostile length costs memory only for the bytes really there.
     */
    private byte[] readAvailable(int length) throws IOException {
        byte[] bytes = new byte[Math.min(length, 1 << 16)];
        int got = fill(bytes, 0);
        while (got == bytes.length && got < length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(length, 2L * bytes.length));
            got = fill(bytes, got);
        }
        offset += got;
        return got == bytes.length ? bytes : Arrays.copyOf(bytes, got);
    }

    /** Reads into {@code bytes} from {@code from} until it is full or the input ends; returns how far it got. */
    private int fill(byte[] bytes, int from) throws IOException {
        int got = from;
        while (got < bytes.length) {
            int n;
            try {
                n = readInput(bytes, got, bytes.length - got);
            } catch (EOFException e) {
                n = -1;
            }
            if (n < 0) {
                break;
            }
            got += n;
        }
        return got;
    }

    /** Reads what was pushed back first, then the input. */
    private int readInput(byte[] bytes, int from, int length) throws IOException {
        if (pushedBackPos < pushedBack.length) {
            int n = Math.min(length, pushedBack.length - pushedBackPos);
            System.arraycopy(pushedBack, pushedBackPos, bytes, from, n);
            pushedBackPos += n;
            return n;
        }
        return in.read(bytes, from, length);
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
        int got = fill(bytes, 0);
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

    /** The format's little-endian u32 at {@code at} (an events block's count and record lengths). */
    public static int getInt(byte[] array, int at) {
        return (array[at] & 0xff) | (array[at + 1] & 0xff) << 8 | (array[at + 2] & 0xff) << 16 | (array[at + 3] & 0xff) << 24;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
