package io.bpfscope.sql;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.probes.CStrings;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * Rows of one probe table in Arrow's columnar layout: filled on the heap by one
 * loading thread ({@link #add}), then {@link #seal sealed} into one block of
 * native memory laid out as the Arrow C data interface's {@code ArrowArray} (a
 * struct array, one child per column of {@link ProbeTable#columns}), which
 * DuckDB scans without a call per row ({@link ArrowFeed}). Text is written as
 * {@link CStrings#replaced} shows it (DuckDB's VARCHAR is UTF-8; the exact bytes
 * of odd names stay in JSON Lines). A HUGEINT column travels as its decimal text
 * and is cast back by the statement that reads the batch. Arrow is
 * little-endian, as are the machines bpfscope runs on (x86-64, arm64).
 */
final class ArrowBatch {
    /** Sizes of the C structs (arrow/c/abi.h), on 64-bit machines. */
    static final int ARRAY_SIZE = 80;
    static final int SCHEMA_SIZE = 72;
    /** ArrowArray's fields, by offset. */
    static final int ARRAY_LENGTH = 0;
    static final int ARRAY_NULL_COUNT = 8;
    static final int ARRAY_N_BUFFERS = 24;
    static final int ARRAY_N_CHILDREN = 32;
    static final int ARRAY_BUFFERS = 40;
    static final int ARRAY_CHILDREN = 48;
    static final int ARRAY_RELEASE = 64;
    static final int ARRAY_PRIVATE_DATA = 72;
    /** ArrowSchema's fields, by offset. */
    static final int SCHEMA_FORMAT = 0;
    static final int SCHEMA_NAME = 8;
    static final int SCHEMA_FLAGS = 24;
    static final int SCHEMA_N_CHILDREN = 32;
    static final int SCHEMA_CHILDREN = 40;
    static final int SCHEMA_RELEASE = 56;
    private static final long FLAG_NULLABLE = 2;

    /** Sealed blocks kept for the next seals: a fresh block's pages cost a fault and a clear each. */
    private static final int KEPT_BLOCKS = 8;

    private final ProbeTable table;
    /** The table's columns this batch carries, in the table's order. */
    private final List<ProbeTable.Column> loaded;
    /** The arrays being filled, one per loaded column. */
    private final List<Column> columns = new ArrayList<>();
    /** Per column of {@link ProbeTable#columns}: its array, or null where the column is not loaded. */
    private final Column[] byTableColumn;
    private final boolean payloadLoaded;
    private final boolean headerOnly;
    /** The columns {@link #add} fills from the record's header alone ({@code RecordDecoder#decodeHeader}). */
    private static final java.util.Set<String> HEADER_COLUMNS = java.util.Set.of("seq", "time", "host", "pid", "tid", "uid", "comm");
    private final java.util.concurrent.ConcurrentLinkedQueue<Memory> spareBlocks = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private int rows;

    /** A batch of every column of {@code table}. */
    ArrowBatch(ProbeTable table) {
        this(table, table.columns());
    }

    /**
     * A batch of some of {@code table}'s columns ({@code loaded}, in the table's
     * order): what a query reads. The others are not decoded at all; the
     * statement that reads the batch names the loaded ones.
     */
    ArrowBatch(ProbeTable table, List<ProbeTable.Column> loaded) {
        this.table = table;
        this.loaded = List.copyOf(loaded);
        List<ProbeTable.Column> all = table.columns();
        this.byTableColumn = new Column[all.size()];
        for (int i = 0; i < all.size(); i++) {
            if (loaded.contains(all.get(i))) {
                byTableColumn[i] = Column.of(all.get(i).type());
                columns.add(byTableColumn[i]);
            }
        }
        int payload = all.size() - ProbeTable.PAYLOAD.size();
        this.payloadLoaded = byTableColumn[payload] != null || byTableColumn[payload + 1] != null || byTableColumn[payload + 2] != null;
        this.headerOnly = loaded.stream().allMatch(column -> HEADER_COLUMNS.contains(column.name()));
    }

    /** Whether every loaded column is in the event header (or the capture's): the probe's decoder need not run. */
    boolean headerOnly() {
        return headerOnly;
    }

    ProbeTable table() {
        return table;
    }

    /** The columns this batch carries. */
    List<ProbeTable.Column> loaded() {
        return loaded;
    }

    int rows() {
        return rows;
    }

    /** Appends one event: the common columns, the probe's fields by name, the payload; only the loaded ones. */
    void add(DecodedRecord record, String captureHost) {
        DecodedEvent event = record.event();
        EventHeader header = event.header();
        Column[] at = byTableColumn;
        if (at[0] != null) {
            ((Longs) at[0]).add(record.seq());
        }
        if (at[1] != null) {
            Instant time = record.time();
            ((Longs) at[1]).add(time.getEpochSecond() * 1_000_000_000L + time.getNano());
        }
        if (at[2] != null) {
            ((Bytes) at[2]).add(record.host().isEmpty() ? captureHost : record.host()); // a merged capture names each probe's host
        }
        if (at[3] != null) {
            ((Ints) at[3]).add(header.pid());
        }
        if (at[4] != null) {
            ((Ints) at[4]).add(header.tid());
        }
        if (at[5] != null) {
            ((Longs) at[5]).add(Integer.toUnsignedLong(header.uid()));
        }
        if (at[6] != null) {
            ((Bytes) at[6]).add(CStrings.replaced(header.comm()));
        }
        if (at[7] != null) {
            ((Bytes) at[7]).add(CStrings.replaced(event.summary())); // the summary is built here, so only when read
        }
        int next = ProbeTable.COMMON.size();
        for (ProbeTable.Column field : table.fields()) {
            Column column = at[next++];
            if (column != null) {
                column.addValue(event.field(field.name())); // no map of every field per event
            }
        }
        if (payloadLoaded) {
            DecodedEvent.Payload payload = event.payload();
            if (payload == null) {
                for (int i = 0; i < ProbeTable.PAYLOAD.size(); i++) {
                    if (at[next + i] != null) {
                        at[next + i].addNull();
                    }
                }
            } else {
                if (at[next] != null) {
                    ((Bytes) at[next]).add(payload.bytes());
                }
                if (at[next + 1] != null) {
                    ((Longs) at[next + 1]).add(payload.originalLength());
                }
                if (at[next + 2] != null) {
                    ((Bools) at[next + 2]).add(payload.truncated());
                }
            }
        }
        rows++;
    }

    /** The rows in native memory (see {@link Sealed}); this batch is empty again afterwards. */
    Sealed seal() {
        Column top = new Struct(columns, rows);
        Layout layout = new Layout();
        layout.measure(top);
        Memory block = spareBlock(layout.size);
        layout.size = 0;
        long topStruct = layout.write(block, top);
        for (Column column : columns) {
            column.reset();
        }
        int sealed = rows;
        rows = 0;
        return new Sealed(block, topStruct, sealed, this);
    }

    /** A kept block of at least {@code size} bytes, or a new one a quarter larger (the next batch may be). */
    private Memory spareBlock(long size) {
        for (Memory spare = spareBlocks.poll(); spare != null; spare = spareBlocks.poll()) {
            if (spare.size() >= size) {
                return spare;
            }
            spare.close();
        }
        return new Memory(Math.max(64, size + size / 4));
    }

    /** Frees the kept blocks; the batches sealed from this one must have been freed. */
    void close() {
        for (Memory spare = spareBlocks.poll(); spare != null; spare = spareBlocks.poll()) {
            spare.close();
        }
    }

    /**
     * A batch in native memory: one block holding every ArrowArray struct, the
     * pointer arrays and the buffers. Its top-level struct is copied into the
     * consumer's ArrowArray by the stream; the release callbacks and the private
     * data are set there. Freed by {@link #free}, once: its block goes back to the
     * batch it came from, for a later seal, or (with no batch, or enough kept) is freed.
     */
    record Sealed(Memory block, long topStruct, int rows, ArrowBatch from) {
        void free() {
            if (from != null && from.spareBlocks.size() < KEPT_BLOCKS) {
                from.spareBlocks.offer(block);
            } else {
                block.close();
            }
        }
    }

    /** The ArrowSchema structs of batches of {@code loaded} columns, in {@code block}: columns named c0, c1, ... */
    static Memory schema(List<ProbeTable.Column> loaded, Pointer releaseFunction) {
        List<Column> columns = new ArrayList<>();
        for (ProbeTable.Column column : loaded) {
            columns.add(Column.of(column.type()));
        }
        Column top = new Struct(columns, 0);
        List<Column> nodes = new ArrayList<>();
        collect(top, nodes);
        long size = 0;
        for (Column node : nodes) {
            size += SCHEMA_SIZE + 8L * node.children().size() + 16 + 8; // struct, child pointers, name, format
        }
        Memory block = new Memory(size);
        block.clear();
        long[] at = {0};
        writeSchema(block, top, "", releaseFunction, at);
        return block;
    }

    private static void collect(Column node, List<Column> into) {
        into.add(node);
        node.children().forEach(child -> collect(child, into));
    }

    private static long writeSchema(Memory block, Column node, String name, Pointer release, long[] at) {
        long struct = at[0];
        at[0] += SCHEMA_SIZE;
        long childPointers = at[0];
        at[0] += 8L * node.children().size();
        long format = at[0];
        byte[] formatBytes = node.format().getBytes(StandardCharsets.US_ASCII);
        block.write(format, formatBytes, 0, formatBytes.length); // zero-terminated: the block was cleared
        at[0] += 8;
        long nameAt = at[0];
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        block.write(nameAt, nameBytes, 0, nameBytes.length);
        at[0] += 16;
        for (int i = 0; i < node.children().size(); i++) {
            long child = writeSchema(block, node.children().get(i), node instanceof Struct ? "c" + i : "item", release, at);
            block.setPointer(childPointers + 8L * i, block.share(child));
        }
        block.setPointer(struct + SCHEMA_FORMAT, block.share(format));
        block.setPointer(struct + SCHEMA_NAME, block.share(nameAt));
        block.setLong(struct + SCHEMA_FLAGS, node instanceof Struct ? 0 : FLAG_NULLABLE);
        block.setLong(struct + SCHEMA_N_CHILDREN, node.children().size());
        block.setPointer(struct + SCHEMA_CHILDREN, node.children().isEmpty() ? null : block.share(childPointers));
        block.setPointer(struct + SCHEMA_RELEASE, release);
        return struct;
    }

    /** Where each array's struct, pointer arrays and buffers go in the block: measured, then written. */
    private static final class Layout {
        long size;

        void measure(Column node) {
            size += ARRAY_SIZE + 8L * node.bufferCount() + 8L * node.children().size();
            for (int i = 0; i < node.bufferCount(); i++) {
                size += align(node.bufferBytes(i));
            }
            node.children().forEach(this::measure);
        }

        long write(Memory block, Column node) {
            long struct = size;
            size += ARRAY_SIZE;
            long bufferPointers = size;
            size += 8L * node.bufferCount();
            long childPointers = size;
            size += 8L * node.children().size();
            block.setMemory(struct, size - struct, (byte) 0); // the members not set below are NULL or 0; the buffers are all written
            for (int i = 0; i < node.bufferCount(); i++) {
                long bytes = node.bufferBytes(i);
                if (bytes > 0) {
                    node.writeBuffer(i, block, size);
                    block.setPointer(bufferPointers + 8L * i, block.share(size));
                    size += align(bytes);
                } else if (i > 0) { // an empty buffer still points somewhere (only a validity buffer may be NULL)
                    block.setPointer(bufferPointers + 8L * i, block.share(struct));
                }
            }
            for (int i = 0; i < node.children().size(); i++) {
                long child = write(block, node.children().get(i));
                block.setPointer(childPointers + 8L * i, block.share(child));
            }
            block.setLong(struct + ARRAY_LENGTH, node.length);
            block.setLong(struct + ARRAY_NULL_COUNT, node.nullCount);
            block.setLong(struct + ARRAY_N_BUFFERS, node.bufferCount());
            block.setLong(struct + ARRAY_N_CHILDREN, node.children().size());
            block.setPointer(struct + ARRAY_BUFFERS, block.share(bufferPointers));
            block.setPointer(struct + ARRAY_CHILDREN, node.children().isEmpty() ? null : block.share(childPointers));
            return struct;
        }

        private static long align(long bytes) {
            return (bytes + 7) & ~7L;
        }
    }

    /**
     * One Arrow array being filled: its validity bits (buffer 0), its own
     * buffers and its children. A null still takes its slot in the buffers.
     */
    private abstract static class Column {
        long[] validity = new long[64];
        int length;
        int nullCount;

        static Column of(ProbeTable.SqlType type) {
            switch (type) {
                case BIGINT: return new Longs("l");
                case TIMESTAMP_NS: return new Longs("tsn:");
                case INTEGER: return new Ints();
                case BOOLEAN: return new Bools();
                case BLOB: return new Bytes("z");
                case VARCHAR_LIST: return new ListOf(new Bytes("u"));
                case BIGINT_LIST: return new ListOf(new Longs("l"));
                case HUGEINT: return new Bytes("u", true);
                default: return new Bytes("u");
            }
        }

        abstract String format();

        /** A field's value as the column holds it; null where the event lacks it or it does not fit. */
        abstract void addValue(Object value);

        int bufferCount() {
            return 1 + ownBuffers();
        }

        abstract int ownBuffers();

        List<Column> children() {
            return List.of();
        }

        long bufferBytes(int buffer) {
            return buffer == 0 ? 8L * words(length) : ownBufferBytes(buffer - 1);
        }

        abstract long ownBufferBytes(int buffer);

        void writeBuffer(int buffer, Memory block, long at) {
            if (buffer == 0) {
                block.write(at, validity, 0, words(length));
            } else {
                writeOwnBuffer(buffer - 1, block, at);
            }
        }

        abstract void writeOwnBuffer(int buffer, Memory block, long at);

        /** Marks the next slot valid; the subclass has written its value. */
        final void valid() {
            mark(true);
        }

        /** Marks the next slot null; the subclass writes a placeholder. */
        void addNull() {
            mark(false);
            nullCount++;
        }

        private void mark(boolean valid) {
            int word = length >>> 6;
            if (word >= validity.length) {
                validity = Arrays.copyOf(validity, validity.length * 2);
            }
            if (valid) {
                validity[word] |= 1L << (length & 63);
            } else {
                validity[word] &= ~(1L << (length & 63));
            }
            length++;
        }

        void reset() {
            Arrays.fill(validity, 0, words(length), 0);
            length = 0;
            nullCount = 0;
            children().forEach(Column::reset);
        }

        static int words(int bits) {
            return (bits + 63) >>> 6;
        }
    }

    /** The top-level array: no buffers but its (absent) validity, one child per column. */
    private static final class Struct extends Column {
        private final List<Column> columns;

        Struct(List<Column> columns, int rows) {
            this.columns = columns;
            this.length = rows;
        }

        @Override
        String format() {
            return "+s";
        }

        @Override
        void addValue(Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        int ownBuffers() {
            return 0;
        }

        @Override
        List<Column> children() {
            return columns;
        }

        @Override
        long bufferBytes(int buffer) {
            return 0; // no validity: no row of the struct itself is null
        }

        @Override
        long ownBufferBytes(int buffer) {
            return 0;
        }

        @Override
        void writeOwnBuffer(int buffer, Memory block, long at) {
        }
    }

    /** 64-bit integers (BIGINT, and TIMESTAMP_NS as nanoseconds since the epoch). */
    private static final class Longs extends Column {
        private final String format;
        private long[] values = new long[1024];

        Longs(String format) {
            this.format = format;
        }

        void add(long value) {
            if (length == values.length) {
                values = Arrays.copyOf(values, length * 2);
            }
            values[length] = value;
            valid();
        }

        @Override
        void addNull() {
            add(0);
            length--;
            super.addNull();
        }

        @Override
        void addValue(Object value) {
            if (value instanceof Number number) {
                add(number.longValue());
            } else {
                addNull();
            }
        }

        @Override
        String format() {
            return format;
        }

        @Override
        int ownBuffers() {
            return 1;
        }

        @Override
        long ownBufferBytes(int buffer) {
            return 8L * length;
        }

        @Override
        void writeOwnBuffer(int buffer, Memory block, long at) {
            block.write(at, values, 0, length);
        }
    }

    /** 32-bit integers (INTEGER). */
    private static final class Ints extends Column {
        private int[] values = new int[1024];

        void add(int value) {
            if (length == values.length) {
                values = Arrays.copyOf(values, length * 2);
            }
            values[length] = value;
            valid();
        }

        @Override
        void addNull() {
            add(0);
            length--;
            super.addNull();
        }

        @Override
        void addValue(Object value) {
            if (value instanceof Number number) {
                add(number.intValue());
            } else {
                addNull();
            }
        }

        @Override
        String format() {
            return "i";
        }

        @Override
        int ownBuffers() {
            return 1;
        }

        @Override
        long ownBufferBytes(int buffer) {
            return 4L * length;
        }

        @Override
        void writeOwnBuffer(int buffer, Memory block, long at) {
            block.write(at, values, 0, length);
        }
    }

    /** BOOLEAN: one bit per row, as the validity. */
    private static final class Bools extends Column {
        private long[] bits = new long[64];

        void add(boolean value) {
            int word = length >>> 6;
            if (word >= bits.length) {
                bits = Arrays.copyOf(bits, bits.length * 2);
            }
            if (value) {
                bits[word] |= 1L << (length & 63);
            } else {
                bits[word] &= ~(1L << (length & 63));
            }
            valid();
        }

        @Override
        void addNull() {
            add(false);
            length--;
            super.addNull();
        }

        @Override
        void addValue(Object value) {
            if (value instanceof Boolean flag) {
                add(flag);
            } else {
                addNull();
            }
        }

        @Override
        String format() {
            return "b";
        }

        @Override
        int ownBuffers() {
            return 1;
        }

        @Override
        long ownBufferBytes(int buffer) {
            return 8L * words(length);
        }

        @Override
        void writeOwnBuffer(int buffer, Memory block, long at) {
            block.write(at, bits, 0, words(length));
        }
    }

    /** VARCHAR ({@code u}, UTF-8) and BLOB ({@code z}): 32-bit offsets and the bytes. */
    private static final class Bytes extends Column {
        private final String format;
        /** A HUGEINT column's: numbers only, as decimal text. */
        private final boolean numbers;
        private int[] offsets = new int[1025];
        private byte[] data = new byte[1 << 16];

        Bytes(String format) {
            this(format, false);
        }

        Bytes(String format, boolean numbers) {
            this.format = format;
            this.numbers = numbers;
        }

        void add(String text) {
            add(text.getBytes(StandardCharsets.UTF_8));
        }

        void add(byte[] bytes) {
            int end = offsets[length];
            if (data.length - end < bytes.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, end + bytes.length));
            }
            System.arraycopy(bytes, 0, data, end, bytes.length);
            next(end + bytes.length);
            valid();
        }

        private void next(int end) {
            if (length + 1 == offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
            }
            offsets[length + 1] = end;
        }

        @Override
        void addNull() {
            next(offsets[length]);
            super.addNull();
        }

        @Override
        void addValue(Object value) {
            if (value == null || numbers && !(value instanceof Number)) {
                addNull();
            } else if (numbers) {
                add(value instanceof java.math.BigInteger big ? big.toString() : Long.toString(((Number) value).longValue()));
            } else if (format.equals("z")) {
                if (value instanceof byte[] bytes) {
                    add(bytes);
                } else {
                    addNull();
                }
            } else {
                add(text(value));
            }
        }

        @Override
        String format() {
            return format;
        }

        @Override
        int ownBuffers() {
            return 2;
        }

        @Override
        long ownBufferBytes(int buffer) {
            return buffer == 0 ? 4L * (length + 1) : offsets[length];
        }

        @Override
        void writeOwnBuffer(int buffer, Memory block, long at) {
            if (buffer == 0) {
                block.write(at, offsets, 0, length + 1);
            } else {
                block.write(at, data, 0, offsets[length]);
            }
        }

        @Override
        void reset() {
            super.reset();
            offsets[0] = 0;
        }
    }

    /** A list (VARCHAR[], BIGINT[]): 32-bit offsets into one child array of the elements. */
    private static final class ListOf extends Column {
        private final Column elements;
        private int[] offsets = new int[1025];

        ListOf(Column elements) {
            this.elements = elements;
        }

        private void next() {
            if (length + 1 == offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
            }
            offsets[length + 1] = elements.length;
        }

        @Override
        void addNull() {
            next();
            super.addNull();
        }

        @Override
        void addValue(Object value) {
            if (elements instanceof Bytes texts) {
                if (value == null) {
                    addNull();
                    return;
                }
                if (value instanceof Collection<?> items) {
                    items.forEach(item -> texts.add(CStrings.replaced(String.valueOf(item))));
                } else {
                    texts.add(CStrings.replaced(String.valueOf(value))); // one value where a list was declared
                }
            } else {
                if (!(value instanceof Collection<?> items)) {
                    addNull();
                    return;
                }
                Longs numbers = (Longs) elements;
                for (Object item : items) {
                    numbers.add(item instanceof Number n ? n.longValue() : 0);
                }
            }
            next();
            valid();
        }

        @Override
        String format() {
            return "+l";
        }

        @Override
        int ownBuffers() {
            return 1;
        }

        @Override
        List<Column> children() {
            return List.of(elements);
        }

        @Override
        long ownBufferBytes(int buffer) {
            return 4L * (length + 1);
        }

        @Override
        void writeOwnBuffer(int buffer, Memory block, long at) {
            block.write(at, offsets, 0, length + 1);
        }

        @Override
        void reset() {
            super.reset();
            offsets[0] = 0;
        }
    }

    /** A value in a VARCHAR column: lists joined by spaces, bytes in hex, numbers as written. */
    private static String text(Object value) {
        if (value instanceof Collection<?> items) {
            return String.join(" ", items.stream().map(item -> CStrings.replaced(String.valueOf(item))).toList());
        }
        if (value instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
        return CStrings.replaced(value.toString());
    }
}
