package io.bpfscope.probes.golang;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Go runtime's function table ({@code runtime.pclntab}, the {@code .gopclntab}
 * section): every function's name and address range, present even in binaries
 * built with {@code -ldflags='-s -w'}, because the runtime needs it for stack
 * traces and the garbage collector. Reads the layouts of Go 1.2–1.15 (magic
 * {@code 0xfffffffb}), 1.16–1.17 ({@code 0xfffffffa}), 1.18–1.19
 * ({@code 0xfffffff0}) and 1.20+ ({@code 0xfffffff1}); see the Go source's
 * {@code runtime/symtab.go} ({@code pcHeader}, {@code functab}, {@code _func}).
 * Only little-endian 64-bit tables. Immutable once read.
 */
public final class GoPclntab {
    static final int MAGIC_12 = 0xfffffffb;
    static final int MAGIC_116 = 0xfffffffa;
    static final int MAGIC_118 = 0xfffffff0;
    static final int MAGIC_120 = 0xfffffff1;
    private static final int PTR_SIZE = 8;

    /** One function: its name and the addresses {@code [entry, end)}. */
    public record Function(String name, long entry, long end) {
        public long size() {
            return end - entry;
        }
    }

    private final ByteBuffer table;
    private final int magic;
    private final int count;
    private final long textStart;
    private final int nameTable;
    private final int functionTable;

    private GoPclntab(ByteBuffer table, long textStartFallback) throws GoFormatException {
        this.table = table.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.magic = u32(0);
        if (!isMagic(magic)) {
            throw new GoFormatException(String.format("pclntab magic 0x%08x is none of Go 1.2 to 1.22's", magic));
        }
        if (u8(4) != 0 || u8(5) != 0 || u8(7) != PTR_SIZE) {
            throw new GoFormatException("pclntab header is not of a 64-bit program (pad " + u8(4) + " " + u8(5)
                    + ", pointer size " + u8(7) + ")");
        }
        long functions = u64(8);
        if (functions < 0 || functions > table.capacity() / 8) {
            throw new GoFormatException("pclntab claims " + functions + " functions in " + table.capacity() + " bytes");
        }
        this.count = (int) functions;
        switch (magic) {
            case MAGIC_118, MAGIC_120 -> {
                this.textStart = u64(8 + 2 * PTR_SIZE);
                this.nameTable = offset(8 + 3 * PTR_SIZE);
                this.functionTable = offset(8 + 7 * PTR_SIZE);
            }
            case MAGIC_116 -> {
                this.textStart = textStartFallback;
                this.nameTable = offset(8 + 2 * PTR_SIZE);
                this.functionTable = offset(8 + 6 * PTR_SIZE);
            }
            default -> { // 1.2-1.15: the table follows the header; names are relative to the whole table
                this.textStart = textStartFallback;
                this.nameTable = 0;
                this.functionTable = 8 + PTR_SIZE;
            }
        }
        // Every function table entry (and the end marker after the last) must be inside the table.
        require(functionTable, (long) (count + 1) * entrySize());
    }

    /**
     * Reads a function table from {@code table} (positioned at its first byte; it may run on past
     * the table's end). {@code textStart} is where {@code .text} begins: Go before 1.18 stores
     * absolute addresses and does not need it.
     */
    public static GoPclntab read(ByteBuffer table, long textStart) throws GoFormatException {
        try {
            return new GoPclntab(table.slice(), textStart);
        } catch (IndexOutOfBoundsException e) {
            throw new GoFormatException("pclntab header cut off: " + e.getMessage());
        }
    }

    static boolean isMagic(int magic) {
        return magic == MAGIC_12 || magic == MAGIC_116 || magic == MAGIC_118 || magic == MAGIC_120;
    }

    /** The Go versions this table's layout belongs to, e.g. {@code 1.18-1.19}. */
    public String layoutVersions() {
        return switch (magic) {
            case MAGIC_120 -> "1.20+";
            case MAGIC_118 -> "1.18-1.19";
            case MAGIC_116 -> "1.16-1.17";
            default -> "1.2-1.15";
        };
    }

    /** True for the layouts of Go before 1.16, none of whose binaries use the register ABI. */
    public boolean olderThan116() {
        return magic == MAGIC_12;
    }

    public int size() {
        return count;
    }

    /** The function at index {@code i} of the table, sorted by address. */
    public Function function(int i) throws GoFormatException {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException(i);
        }
        try {
            long entry = entry(i);
            long end = entry(i + 1);
            return new Function(string(nameTable + (long) nameOffset(functionRecord(i))), entry, end);
        } catch (IndexOutOfBoundsException e) {
            throw new GoFormatException("pclntab function " + i + " lies outside the table");
        }
    }

    /** The function called exactly {@code name}, e.g. {@code crypto/tls.(*Conn).Read}. */
    public Optional<Function> find(String name) throws GoFormatException {
        // Compares the bytes in place: a lookup runs when a program starts, racing its first TLS call.
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < count; i++) {
            try {
                if (nameIs(nameTable + (long) nameOffset(functionRecord(i)), wanted)) {
                    return Optional.of(function(i));
                }
            } catch (IndexOutOfBoundsException e) {
                throw new GoFormatException("pclntab function " + i + " lies outside the table");
            }
        }
        return Optional.empty();
    }

    private int nameOffset(int record) {
        return magic == MAGIC_12 || magic == MAGIC_116 ? table.getInt(record + PTR_SIZE) : table.getInt(record + 4);
    }

    /** Whether the NUL-terminated name at {@code at} is exactly {@code wanted}. */
    private boolean nameIs(long at, byte[] wanted) {
        if (at < 0 || at + wanted.length >= table.capacity()) {
            return false;
        }
        int start = (int) at;
        for (int i = 0; i < wanted.length; i++) {
            if (table.get(start + i) != wanted[i]) {
                return false;
            }
        }
        return table.get(start + wanted.length) == 0;
    }

    /** Every function, in address order. */
    public List<Function> functions() throws GoFormatException {
        List<Function> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(function(i));
        }
        return all;
    }

    private int entrySize() {
        return magic == MAGIC_118 || magic == MAGIC_120 ? 8 : 2 * PTR_SIZE;
    }

    private long entry(int i) {
        int at = functionTable + i * entrySize();
        return magic == MAGIC_118 || magic == MAGIC_120
                ? textStart + Integer.toUnsignedLong(table.getInt(at)) : table.getLong(at);
    }

    private int functionRecord(int i) throws GoFormatException {
        int at = functionTable + i * entrySize();
        long offset = magic == MAGIC_118 || magic == MAGIC_120
                ? Integer.toUnsignedLong(table.getInt(at + 4)) : table.getLong(at + PTR_SIZE);
        // The records live after the function table's start (1.16+) or anywhere in the table (1.2).
        long record = (magic == MAGIC_12 ? 0 : functionTable) + offset;
        require(record, 16);
        return (int) record;
    }

    private String string(long at) throws GoFormatException {
        if (at < 0 || at >= table.capacity()) {
            throw new GoFormatException("pclntab name at " + at + " outside the table");
        }
        int end = (int) at;
        int limit = table.capacity();
        while (end < limit && table.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - (int) at];
        table.get((int) at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void require(long at, long length) throws GoFormatException {
        if (at < 0 || length < 0 || at + length > table.capacity()) {
            throw new GoFormatException("pclntab: " + length + " bytes at " + at + " run past its "
                    + table.capacity() + " bytes");
        }
    }

    private int offset(int at) throws GoFormatException {
        long value = u64(at);
        if (value < 0 || value >= table.capacity()) {
            throw new GoFormatException("pclntab header offset " + value + " outside its " + table.capacity() + " bytes");
        }
        return (int) value;
    }

    private int u8(int at) {
        return table.get(at) & 0xff;
    }

    private int u32(int at) {
        return table.getInt(at);
    }

    private long u64(int at) {
        return table.getLong(at);
    }
}
