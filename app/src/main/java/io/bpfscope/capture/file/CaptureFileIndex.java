package io.bpfscope.capture.file;

import io.bpfscope.probes.EventHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Where a finished capture file keeps its blocks, so it opens without reading them all.
 * After the END block (where every reader stops) the writer puts an INDEX block and a
 * 16-byte trailer:
 *
 * <pre>
 * INDEX payload  u32 version (1)
 *                u32 N, then N times: u64 offset, u32 payload length, u32 records, i64 first and i64 last boot ns
 *                u32 M, then M times: u64 offset of a PROBE, COUNTERS or END block (END last)
 *                u32 S, then S times: u32 source (0xffffffff: records too short for a header), u64 records
 * trailer        u64 offset of the INDEX block, then "BSCAPIDX"
 * </pre>
 *
 * The index is hostile input like the rest of the file: {@link #read} believes it only if
 * it is whole (checksum), every block it names lies in order inside the file between the
 * header and the index, the counts add up and the PROBE and END blocks it names are
 * intact. Anything else means no index, and the file is read by a scan as before. The
 * events blocks themselves are checked when first read ({@code EventStore}).
 *
 * @param header         the header with the probes of the PROBE blocks
 * @param counters       the END block's counts
 * @param offsets        per events block: where its header starts
 * @param eventsPerSource records per source id; {@link #NO_HEADER} for records too short for a header
 */
public record CaptureFileIndex(CaptureHeader header, CaptureCounters counters, long[] offsets, int[] lengths,
                               int[] counts, long[] firstBoot, long[] lastBoot, Map<Integer, Long> eventsPerSource) {
    public static final int NO_HEADER = -1;
    static final byte[] TRAILER_MAGIC = "BSCAPIDX".getBytes(StandardCharsets.ISO_8859_1);
    static final int TRAILER_SIZE = 16;
    private static final int VERSION = 1;
    private static final int BLOCK_ENTRY = 32;

    /** Every record in the file. */
    public long events() {
        long sum = 0;
        for (int count : counts) {
            sum += count;
        }
        return sum;
    }

    /** What an index says, or why it was not believed (then the file is scanned). */
    public record Outcome(Optional<CaptureFileIndex> index, String why) {
        static Outcome rejected(String why) {
            return new Outcome(Optional.empty(), why);
        }
    }

    /** Reads the index at the end of {@code path}, if there is one it can believe. */
    public static Outcome read(Path path) throws IOException {
        long headerEnd;
        CaptureHeader header;
        try (CaptureReader reader = CaptureReader.open(path)) {
            header = reader.header(); // a file that is not a capture fails here, as a scan would
            headerEnd = reader.headerEnd();
        }
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            return read(file, header, headerEnd);
        }
    }

    private static Outcome read(FileChannel file, CaptureHeader header, long headerEnd) throws IOException {
        long size = file.size();
        if (size - headerEnd < TRAILER_SIZE + CaptureFormat.BLOCK_HEADER_SIZE) {
            return Outcome.rejected("no index (too short)");
        }
        ByteBuffer trailer = readAt(file, size - TRAILER_SIZE, TRAILER_SIZE);
        if (!Arrays.equals(Arrays.copyOfRange(trailer.array(), 8, 16), TRAILER_MAGIC)) {
            return Outcome.rejected("no index at the end (a cut or older file)");
        }
        long indexOffset = trailer.getLong(0);
        long indexLength = size - TRAILER_SIZE - CaptureFormat.BLOCK_HEADER_SIZE - indexOffset;
        if (indexOffset < headerEnd || indexLength < 16 || indexLength > CaptureFormat.MAX_BLOCK) {
            return Outcome.rejected("the trailer points outside the file");
        }
        ByteBuffer block = readAt(file, indexOffset, CaptureFormat.BLOCK_HEADER_SIZE + (int) indexLength);
        if (block.getInt(0) != CaptureFormat.BLOCK_INDEX || block.getInt(4) != indexLength
                || !checksumMatches(block.array(), CaptureFormat.BLOCK_HEADER_SIZE, (int) indexLength, block.getInt(8))) {
            return Outcome.rejected("the index block is damaged");
        }
        ByteBuffer in = ByteBuffer.wrap(block.array(), CaptureFormat.BLOCK_HEADER_SIZE, (int) indexLength)
                .slice().order(ByteOrder.LITTLE_ENDIAN);
        try {
            return parse(file, in, header, headerEnd, indexOffset);
        } catch (java.nio.BufferUnderflowException e) {
            return Outcome.rejected("the index ends early");
        }
    }

    private static Outcome parse(FileChannel file, ByteBuffer in, CaptureHeader header, long headerEnd, long indexOffset)
            throws IOException {
        if (in.getInt() != VERSION) {
            return Outcome.rejected("an index of another version");
        }
        int blocks = in.getInt();
        if (blocks < 0 || blocks > in.remaining() / BLOCK_ENTRY) {
            return Outcome.rejected("the index promises more blocks than it holds");
        }
        long[] offsets = new long[blocks];
        int[] lengths = new int[blocks];
        int[] counts = new int[blocks];
        long[] firstBoot = new long[blocks];
        long[] lastBoot = new long[blocks];
        long next = headerEnd; // blocks in order, none overlapping the one before
        long events = 0;
        for (int i = 0; i < blocks; i++) {
            offsets[i] = in.getLong();
            lengths[i] = in.getInt();
            counts[i] = in.getInt();
            firstBoot[i] = in.getLong();
            lastBoot[i] = in.getLong();
            if (offsets[i] < next || lengths[i] < 4 || lengths[i] > CaptureFormat.MAX_BLOCK
                    || counts[i] < 1 || counts[i] > (lengths[i] - 4) / 4 || firstBoot[i] > lastBoot[i]) {
                return Outcome.rejected("index entry " + i + " is not a possible block");
            }
            next = offsets[i] + CaptureFormat.BLOCK_HEADER_SIZE + lengths[i];
            events += counts[i];
        }
        int others = in.getInt();
        if (others < 1 || others > in.remaining() / 8) {
            return Outcome.rejected("the index names no END block");
        }
        CaptureCounters counters = null;
        long[][] otherSpans = new long[others][];
        for (int i = 0; i < others; i++) {
            long at = in.getLong();
            if (at < headerEnd || at >= indexOffset || Arrays.binarySearch(offsets, at) >= 0) {
                return Outcome.rejected("the index names a block outside the file");
            }
            OtherBlock other = readOtherBlock(file, at, i == others - 1 ? indexOffset : -1, header);
            if (other.wrong() != null) {
                return Outcome.rejected(other.wrong());
            }
            header = other.header() != null ? other.header() : header;
            counters = other.counters();
            otherSpans[i] = new long[] {at, other.end()};
        }
        if (next > indexOffset) {
            return Outcome.rejected("the last events block runs into the index");
        }
        if (!tiles(offsets, lengths, otherSpans, headerEnd, indexOffset)) {
            return Outcome.rejected("the blocks the index names do not cover the file from its header to the index");
        }
        String unlike = sampleBlocks(file, offsets, lengths, counts);
        if (unlike != null) {
            return Outcome.rejected(unlike);
        }
        int sources = in.getInt();
        if (sources < 0 || sources > in.remaining() / 12) {
            return Outcome.rejected("the index promises more sources than it holds");
        }
        Map<Integer, Long> perSource = new LinkedHashMap<>();
        long counted = 0;
        for (int i = 0; i < sources; i++) {
            int source = in.getInt();
            long records = in.getLong();
            if (records < 0 || (source != NO_HEADER && (source < 0 || source > 0xffff)) || perSource.containsKey(source)) {
                return Outcome.rejected("the index counts a source twice or no source");
            }
            perSource.put(source, records);
            counted += records;
        }
        if (counted != events || in.hasRemaining()) {
            return Outcome.rejected("the index's counts do not add up");
        }
        return new Outcome(Optional.of(new CaptureFileIndex(header, counters, offsets, lengths, counts, firstBoot,
                lastBoot, perSource)), "");
    }

    /**
     * True when the events blocks and the other blocks the index names follow each other with
     * no gap and no overlap from the header's end to the index: an index that leaves blocks
     * out (claiming fewer events) or names blocks twice cannot pass.
     */
    private static boolean tiles(long[] offsets, int[] lengths, long[][] otherSpans, long headerEnd, long indexOffset) {
        long[][] spans = new long[offsets.length + otherSpans.length][];
        for (int i = 0; i < offsets.length; i++) {
            spans[i] = new long[] {offsets[i], offsets[i] + CaptureFormat.BLOCK_HEADER_SIZE + lengths[i]};
        }
        System.arraycopy(otherSpans, 0, spans, offsets.length, otherSpans.length);
        Arrays.sort(spans, (a, b) -> Long.compare(a[0], b[0]));
        long at = headerEnd;
        for (long[] span : spans) {
            if (span[0] != at) {
                return false;
            }
            at = span[1];
        }
        return at == indexOffset;
    }

    /** Blocks whose headers are compared with the index on opening: enough to catch an index of another file. */
    private static final int SAMPLED_BLOCKS = 64;

    /**
     * Compares the headers of the first, the last and evenly spread blocks with what the
     * index says of them (type, length, count): a few reads, not one per block. A lie in a
     * block not sampled shows when that block is first read, as damage.
     */
    private static String sampleBlocks(FileChannel file, long[] offsets, int[] lengths, int[] counts) throws IOException {
        int blocks = offsets.length;
        for (int n = 0; n < Math.min(blocks, SAMPLED_BLOCKS); n++) {
            int i = blocks <= SAMPLED_BLOCKS ? n : (int) ((long) n * (blocks - 1) / (SAMPLED_BLOCKS - 1));
            ByteBuffer head = readAt(file, offsets[i], CaptureFormat.BLOCK_HEADER_SIZE + 4);
            if (head.getInt(0) != CaptureFormat.BLOCK_EVENTS || head.getInt(4) != lengths[i] || head.getInt(12) != counts[i]) {
                return "the index does not match the events block at offset " + offsets[i];
            }
        }
        return null;
    }

    /** A PROBE block (the header with its probe) or the END block (its counters), or what is wrong with it. */
    private record OtherBlock(String wrong, CaptureHeader header, CaptureCounters counters, long end) {
        static OtherBlock wrong(String what) {
            return new OtherBlock(what, null, null, 0);
        }
    }

    /**
     * Reads the PROBE or END block at {@code at} (END when {@code endsAt} is not -1, and it
     * must end exactly there).
     */
    private static OtherBlock readOtherBlock(FileChannel file, long at, long endsAt, CaptureHeader header)
            throws IOException {
        ByteBuffer head = readAt(file, at, CaptureFormat.BLOCK_HEADER_SIZE);
        int type = head.getInt(0);
        int length = head.getInt(4);
        boolean end = endsAt != -1;
        if (!end && type == CaptureFormat.BLOCK_COUNTERS && length >= 0 && length <= CaptureFormat.MAX_HEADER) {
            return new OtherBlock(null, null, null, at + CaptureFormat.BLOCK_HEADER_SIZE + length); // counters so far: only its place matters
        }
        if (type != (end ? CaptureFormat.BLOCK_END : CaptureFormat.BLOCK_PROBE) || length < 0
                || length > CaptureFormat.MAX_HEADER || (end && at + CaptureFormat.BLOCK_HEADER_SIZE + length != endsAt)) {
            return OtherBlock.wrong("the index names a block that is not there");
        }
        byte[] payload = readAt(file, at + CaptureFormat.BLOCK_HEADER_SIZE, length).array();
        if (!checksumMatches(payload, 0, length, head.getInt(8))) {
            return OtherBlock.wrong("a block the index names is damaged");
        }
        if (end) {
            CaptureCounters counters = CaptureReader.parseJson(payload, CaptureCounters.class);
            if (counters == null || counters.probes().stream().anyMatch(p -> p == null || p.name() == null)) {
                return OtherBlock.wrong("the END block is damaged");
            }
            return new OtherBlock(null, header, counters, endsAt);
        } else {
            CaptureHeader.ProbeEntry probe = CaptureReader.parseJson(payload, CaptureHeader.ProbeEntry.class);
            if (CaptureReader.whatIsWrong(probe) != null) {
                return OtherBlock.wrong("a PROBE block is damaged");
            }
            return new OtherBlock(null, header.withProbe(CaptureReader.withoutNulls(probe)), null,
                    at + CaptureFormat.BLOCK_HEADER_SIZE + length);
        }
    }

    private static boolean checksumMatches(byte[] bytes, int from, int length, int crc) {
        CRC32 check = new CRC32();
        check.update(bytes, from, length);
        return (int) check.getValue() == crc;
    }

    /** Up to {@code length} bytes at {@code position}; a short read leaves zeros, which no check accepts. */
    private static ByteBuffer readAt(FileChannel file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining() && file.read(buffer, position + buffer.position()) >= 0) {
            // until full or the end of the file
        }
        return buffer.clear();
    }

    /** The 16 bytes after the INDEX block. */
    static byte[] trailer(long indexOffset) {
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        trailer.putLong(indexOffset).put(TRAILER_MAGIC);
        return trailer.array();
    }

    /** What the writer gathers as it writes; a few bytes per block and a counter per source. */
    static final class Builder {
        private ByteBuffer blocks = ByteBuffer.allocate(BLOCK_ENTRY * 64).order(ByteOrder.LITTLE_ENDIAN);
        private int blockCount;
        private ByteBuffer others = ByteBuffer.allocate(8 * 8).order(ByteOrder.LITTLE_ENDIAN);
        private int otherCount;
        private final long[] perSource = new long[0x10000];
        private long noHeader;
        private long firstBoot = Long.MAX_VALUE;
        private long lastBoot = Long.MIN_VALUE;

        void record(byte[] record, int offset, int length) {
            if (length < EventHeader.SIZE) {
                noHeader++;
                return;
            }
            perSource[EventHeader.sourceOf(record, offset)]++;
            long boot = EventHeader.bootNanosOf(record, offset);
            firstBoot = Math.min(firstBoot, boot);
            lastBoot = Math.max(lastBoot, boot);
        }

        void eventsBlock(long offset, int length, int count) {
            blocks = room(blocks, BLOCK_ENTRY);
            boolean timed = firstBoot <= lastBoot;
            blocks.putLong(offset).putInt(length).putInt(count).putLong(timed ? firstBoot : 0).putLong(timed ? lastBoot : 0);
            blockCount++;
            firstBoot = Long.MAX_VALUE;
            lastBoot = Long.MIN_VALUE;
        }

        void otherBlock(long offset) {
            others = room(others, 8);
            others.putLong(offset);
            otherCount++;
        }

        byte[] payload() {
            int sources = noHeader > 0 ? 1 : 0;
            for (long count : perSource) {
                sources += count > 0 ? 1 : 0;
            }
            ByteBuffer out = ByteBuffer.allocate(8 + blocks.position() + 4 + others.position() + 4 + 12 * sources)
                    .order(ByteOrder.LITTLE_ENDIAN);
            out.putInt(VERSION).putInt(blockCount).put(blocks.array(), 0, blocks.position());
            out.putInt(otherCount).put(others.array(), 0, others.position());
            out.putInt(sources);
            for (int source = 0; source < perSource.length; source++) {
                if (perSource[source] > 0) {
                    out.putInt(source).putLong(perSource[source]);
                }
            }
            if (noHeader > 0) {
                out.putInt(NO_HEADER).putLong(noHeader);
            }
            return out.array();
        }

        private static ByteBuffer room(ByteBuffer buffer, int needed) {
            if (buffer.remaining() >= needed) {
                return buffer;
            }
            ByteBuffer grown = ByteBuffer.allocate(buffer.capacity() * 2).order(ByteOrder.LITTLE_ENDIAN);
            return grown.put(buffer.flip());
        }
    }
}
