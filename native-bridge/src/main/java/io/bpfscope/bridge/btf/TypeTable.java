package io.bpfscope.bridge.btf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The header, type records and string section of one BTF blob, indexed by type id.
 *
 * <p>Parsing checks every name offset and type reference once, and that chains of references
 * (typedef, const, pointer, array element...) end; the accessors can then read without
 * checks. Immutable after {@link #parse}: the buffer is this table's own and only absolute
 * reads touch it.
 */
final class TypeTable {
    private static final int MAGIC = 0xeb9f;
    private static final int MAGIC_SWAPPED = 0x9feb;
    private static final int MIN_HEADER_BYTES = 24;
    private static final int TYPE_RECORD_BYTES = 12;
    /** Longer reference chains than this are loops in practice; real ones are a handful long. */
    private static final int MAX_CHAIN = 256;

    private final ByteBuffer data;
    private final String source;
    private final int stringsStart;
    private final int stringsLength;
    /** Offset of each type's {@code struct btf_type}, by id; id 0 is void and has none. */
    private final int[] recordOffsets;
    private final byte[] kindCodes;
    private int pointerSize = 8;

    private TypeTable(ByteBuffer data, String source, int stringsStart, int stringsLength,
                      int[] recordOffsets, byte[] kindCodes) {
        this.data = data;
        this.source = source;
        this.stringsStart = stringsStart;
        this.stringsLength = stringsLength;
        this.recordOffsets = recordOffsets;
        this.kindCodes = kindCodes;
    }

    /** Parses {@code data} from index 0 to its limit; the caller hands over the buffer for good. */
    static TypeTable parse(ByteBuffer data, String source) throws BtfFormatException {
        int size = data.limit();
        if (size < 2) {
            throw new BtfFormatException(source, 0, "BTF magic 0xeb9f", "end of data after " + size + " bytes");
        }
        data.order(ByteOrder.LITTLE_ENDIAN);
        int magic = Short.toUnsignedInt(data.getShort(0));
        if (magic == MAGIC_SWAPPED) {
            data.order(ByteOrder.BIG_ENDIAN);
        } else if (magic != MAGIC) {
            throw new BtfFormatException(source, 0, "BTF magic 0xeb9f", String.format("0x%04x", magic));
        }
        if (size < MIN_HEADER_BYTES) {
            throw new BtfFormatException(source, 0, "a BTF header of " + MIN_HEADER_BYTES + " bytes",
                    "end of data after " + size + " bytes");
        }
        int version = Byte.toUnsignedInt(data.get(2));
        if (version != 1) {
            throw new BtfFormatException(source, 2, "BTF version 1", "version " + version);
        }
        int flags = Byte.toUnsignedInt(data.get(3));
        if (flags != 0) {
            throw new BtfFormatException(source, 3, "BTF header flags 0", String.format("0x%02x", flags));
        }
        long headerLength = u32(data, 4);
        if (headerLength < MIN_HEADER_BYTES || headerLength > size) {
            throw new BtfFormatException(source, 4, "a header length from " + MIN_HEADER_BYTES + " to " + size,
                    String.valueOf(headerLength));
        }
        // Offsets in the header count from the end of the header.
        long typesStart = headerLength + u32(data, 8);
        long typesEnd = typesStart + u32(data, 12);
        long stringsStart = headerLength + u32(data, 16);
        long stringsEnd = stringsStart + u32(data, 20);
        if (typesEnd > size) {
            throw new BtfFormatException(source, 8, "a type section ending by offset " + size,
                    "one from " + typesStart + " to " + typesEnd);
        }
        if (typesStart % 4 != 0) {
            throw new BtfFormatException(source, 8, "a type section aligned to 4 bytes", "one at offset " + typesStart);
        }
        if (stringsEnd > size) {
            throw new BtfFormatException(source, 16, "a string section ending by offset " + size,
                    "one from " + stringsStart + " to " + stringsEnd);
        }
        if (stringsEnd == stringsStart || data.get((int) stringsStart) != 0) {
            throw new BtfFormatException(source, stringsStart, "a string section starting with the empty string",
                    stringsEnd == stringsStart ? "an empty section" : "a non-empty first string");
        }
        if (data.get((int) stringsEnd - 1) != 0) {
            throw new BtfFormatException(source, stringsEnd - 1, "a string section ending in NUL",
                    "an unterminated string");
        }
        TypeTable table = readRecords(data, source, (int) typesStart, (int) typesEnd,
                (int) stringsStart, (int) (stringsEnd - stringsStart));
        table.checkReferences();
        table.checkChainsEnd();
        return table;
    }

    private static TypeTable readRecords(ByteBuffer data, String source, int start, int end,
                                         int stringsStart, int stringsLength) throws BtfFormatException {
        int[] offsets = new int[1024];
        byte[] kinds = new byte[1024];
        int count = 1; // id 0 is void
        for (int at = start; at < end; count++) {
            if (end - at < TYPE_RECORD_BYTES) {
                throw new BtfFormatException(source, at, "a " + TYPE_RECORD_BYTES + "-byte type record",
                        (end - at) + " bytes left in the type section");
            }
            int info = data.getInt(at + 4);
            int code = (info >>> 24) & 0x1f;
            BtfKind kind = BtfKind.of(code);
            if (kind == null) {
                throw new BtfFormatException(source, at + 4, "a BTF kind from 1 to " + BtfKind.maxCode()
                        + " for type " + count, "kind " + code);
            }
            long next = (long) at + TYPE_RECORD_BYTES + kind.trailingBytes(info & 0xffff);
            if (next > end) {
                throw new BtfFormatException(source, at, kind + " type " + count + " to end by " + end
                        + ", the end of the type section", "its end at " + next);
            }
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
                kinds = Arrays.copyOf(kinds, count * 2);
            }
            offsets[count] = at;
            kinds[count] = (byte) code;
            at = (int) next;
        }
        return new TypeTable(data, source, stringsStart, stringsLength,
                Arrays.copyOf(offsets, count), Arrays.copyOf(kinds, count));
    }

    private void checkReferences() throws BtfFormatException {
        for (int id = 1; id < count(); id++) {
            int at = recordOffsets[id];
            BtfKind kind = kind(id);
            checkName(at);
            if (kind.refersToType()) {
                checkType(at + 8);
            }
            int entries = at + TYPE_RECORD_BYTES + kind.fixedBytes;
            for (int i = 0; i < vlen(id); i++, entries += kind.entryBytes) {
                switch (kind) {
                    case STRUCT, UNION, FUNC_PROTO -> {
                        checkName(entries);
                        checkType(entries + 4);
                    }
                    case ENUM, ENUM64 -> checkName(entries);
                    case DATASEC -> checkType(entries);
                    default -> { }
                }
            }
            if (kind == BtfKind.ARRAY) {
                checkType(at + 12);
                checkType(at + 16);
            }
            if (kind == BtfKind.INT && isLong(id)) {
                pointerSize = sizeOrType(id); // like libbpf: a pointer is as wide as long
            }
        }
    }

    private boolean isLong(int id) {
        String name = name(id);
        return name.equals("long") || name.equals("unsigned long")
                || name.equals("long int") || name.equals("long unsigned int");
    }

    private void checkName(int at) throws BtfFormatException {
        long nameOffset = u32(data, at);
        if (nameOffset >= stringsLength) {
            throw new BtfFormatException(source, at, "a name offset below the string section size " + stringsLength,
                    String.valueOf(nameOffset));
        }
    }

    private void checkType(int at) throws BtfFormatException {
        long id = u32(data, at);
        if (id >= count()) {
            throw new BtfFormatException(source, at, "a type id below " + count(),
                    id + " (a kernel module's split BTF would need its vmlinux base, which this reader does not load)");
        }
    }

    /** Every typedef, qualifier, pointer and array chain must reach a type that is not one. */
    private void checkChainsEnd() throws BtfFormatException {
        boolean[] ends = new boolean[count()];
        ends[0] = true;
        int[] path = new int[MAX_CHAIN];
        for (int id = 1; id < count(); id++) {
            int length = 0;
            int current = id;
            while (!ends[current] && next(current) >= 0) {
                if (length == MAX_CHAIN) {
                    throw new BtfFormatException(source, recordOffsets[id], "references from type " + id
                            + " to end within " + MAX_CHAIN + " steps", "a loop");
                }
                path[length++] = current;
                current = next(current);
            }
            ends[current] = true;
            for (int i = 0; i < length; i++) {
                ends[path[i]] = true;
            }
        }
    }

    /** The type {@code id} stands on, for kinds that only wrap another type; -1 for the rest. */
    private int next(int id) {
        return switch (kind(id)) {
            case PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG, FUNC, VAR, DECL_TAG -> sizeOrType(id);
            case ARRAY -> fixedWord(id, 0);
            default -> -1;
        };
    }

    private static long u32(ByteBuffer data, int at) {
        return Integer.toUnsignedLong(data.getInt(at));
    }

    String source() {
        return source;
    }

    /** Number of type ids, counting void (id 0). */
    int count() {
        return recordOffsets.length;
    }

    BtfKind kind(int id) {
        return id == 0 ? BtfKind.VOID : BtfKind.of(kindCodes[id]);
    }

    int vlen(int id) {
        return id == 0 ? 0 : data.getInt(recordOffsets[id] + 4) & 0xffff;
    }

    boolean kindFlag(int id) {
        return id != 0 && data.getInt(recordOffsets[id] + 4) < 0;
    }

    /** The third word of the record: a size or a type id, depending on the kind. */
    int sizeOrType(int id) {
        return id == 0 ? 0 : data.getInt(recordOffsets[id] + 8);
    }

    String name(int id) {
        return id == 0 ? "" : string(data.getInt(recordOffsets[id]));
    }

    /** Word {@code word} of the fixed data after the record (INT encoding, ARRAY fields, ...). */
    int fixedWord(int id, int word) {
        return data.getInt(recordOffsets[id] + TYPE_RECORD_BYTES + 4 * word);
    }

    /** Word {@code word} of entry {@code index} (member, enumerator, parameter, variable). */
    int entryWord(int id, int index, int word) {
        BtfKind kind = kind(id);
        int entry = recordOffsets[id] + TYPE_RECORD_BYTES + kind.fixedBytes + index * kind.entryBytes;
        return data.getInt(entry + 4 * word);
    }

    String string(int offset) {
        int start = stringsStart + offset;
        int end = start;
        while (data.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        data.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Whether the string at {@code offset} equals {@code utf8}, without decoding it. */
    boolean stringEquals(int offset, byte[] utf8) {
        int start = stringsStart + offset;
        if (stringsLength - offset <= utf8.length) {
            return false;
        }
        for (int i = 0; i < utf8.length; i++) {
            if (data.get(start + i) != utf8[i]) {
                return false;
            }
        }
        return data.get(start + utf8.length) == 0;
    }

    /** The lowest id of a type called {@code name} whose kind passes {@code kinds}, or 0. */
    int find(String name, Predicate<BtfKind> kinds) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        for (int id = 1; id < count(); id++) {
            if (kinds.test(kind(id)) && stringEquals(data.getInt(recordOffsets[id]), utf8)) {
                return id;
            }
        }
        return 0;
    }

    /** Skips typedefs and qualifiers: the type that decides size and layout. */
    int resolve(int id) {
        while (kind(id).isModifier()) {
            id = sizeOrType(id);
        }
        return id;
    }

    /** Size in bytes, or -1 for types without one (void, functions, forward declarations). */
    long sizeOf(int id) {
        return switch (kind(id)) {
            case INT, ENUM, ENUM64, STRUCT, UNION, FLOAT, DATASEC -> Integer.toUnsignedLong(sizeOrType(id));
            case PTR -> pointerSize;
            case TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG, VAR, DECL_TAG -> sizeOf(sizeOrType(id));
            case ARRAY -> {
                long element = sizeOf(fixedWord(id, 0));
                yield element < 0 ? -1 : element * Integer.toUnsignedLong(fixedWord(id, 2));
            }
            case VOID, FWD, FUNC, FUNC_PROTO -> -1;
        };
    }
}
