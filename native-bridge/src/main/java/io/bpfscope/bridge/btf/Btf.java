package io.bpfscope.bridge.btf;

import io.bpfscope.bridge.elf.ElfFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * BPF Type Format data: the C types of the kernel ({@code /sys/kernel/btf/vmlinux}) or of a
 * compiled BPF object (its {@code .BTF} section), answering what a decoder needs: struct
 * layouts, sizes, where {@code .rodata} constants sit, enum values.
 *
 * <p>Immutable and safe for concurrent use. It keeps its own copy of the bytes, so the source
 * may change or go away afterwards. Split BTF (kernel modules) is not supported.
 */
public final class Btf {
    private final TypeTable types;
    private final Map<String, DataSection> dataSections;

    private Btf(TypeTable types, Map<String, DataSection> dataSections) {
        this.types = types;
        this.dataSections = Map.copyOf(dataSections);
    }

    /** Reads raw BTF, e.g. {@code /sys/kernel/btf/vmlinux}. */
    public static Btf read(Path path) throws IOException {
        return of(ByteBuffer.wrap(Files.readAllBytes(path)), path.toString());
    }

    /** Parses raw BTF from the buffer's position to its limit; the buffer is left untouched. */
    public static Btf parse(ByteBuffer bytes) throws BtfFormatException {
        return parse(bytes, "BTF data");
    }

    /** As {@link #parse(ByteBuffer)}; {@code source} names the data in error messages. */
    public static Btf parse(ByteBuffer bytes, String source) throws BtfFormatException {
        return of(copy(bytes), source);
    }

    /**
     * Reads the {@code .BTF} section of an object file, with {@code DATASEC} sizes and variable
     * offsets completed from the ELF section and symbol tables, since clang leaves them 0.
     */
    public static Btf fromElf(ElfFile elf) throws BtfFormatException {
        ByteBuffer section = elf.section(".BTF").orElseThrow(() -> new BtfFormatException(elf.name(),
                "a .BTF section (compile with clang -g)", "none"));
        Btf raw = of(copy(section), elf.name() + " .BTF section");
        return new Btf(raw.types, DataSectionFixup.apply(raw.dataSections, elf));
    }

    private static ByteBuffer copy(ByteBuffer bytes) {
        ByteBuffer own = ByteBuffer.allocate(bytes.remaining());
        own.put(bytes.duplicate()).flip();
        return own;
    }

    private static Btf of(ByteBuffer own, String source) throws BtfFormatException {
        TypeTable types = TypeTable.parse(own, source);
        return new Btf(types, readDataSections(types));
    }

    private static Map<String, DataSection> readDataSections(TypeTable types) {
        Map<String, DataSection> sections = new LinkedHashMap<>();
        for (int id = 1; id < types.count(); id++) {
            if (types.kind(id) != BtfKind.DATASEC) {
                continue;
            }
            List<DataSection.Variable> variables = new ArrayList<>();
            for (int i = 0; i < types.vlen(id); i++) {
                variables.add(new DataSection.Variable(types.name(types.entryWord(id, i, 0)),
                        types.entryWord(id, i, 1), types.entryWord(id, i, 2)));
            }
            sections.putIfAbsent(types.name(id), new DataSection(types.name(id), types.sizeOrType(id), variables));
        }
        return sections;
    }

    /** Number of type ids, counting void (id 0). */
    public int typeCount() {
        return types.count();
    }

    /** The lowest id of a type (struct, union, enum, typedef, int, ...) called {@code name}. */
    public OptionalInt typeId(String name) {
        int id = types.find(name, kind -> kind != BtfKind.FUNC && kind != BtfKind.VAR && kind != BtfKind.DECL_TAG);
        return id == 0 ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The C spelling of a type, e.g. {@code struct sock *}. */
    public String typeName(int typeId) {
        checkId(typeId);
        return TypeNames.of(types, typeId);
    }

    /**
     * {@code sizeof} the type, following typedefs, qualifiers and arrays.
     *
     * @throws IllegalArgumentException for an unknown id or a type without a size (void, a
     *                                  function, a forward declaration)
     */
    public int sizeOf(int typeId) {
        checkId(typeId);
        long size = types.sizeOf(typeId);
        if (size < 0) {
            throw new IllegalArgumentException("type " + typeId + " (" + types.kind(typeId) + " "
                    + TypeNames.of(types, typeId) + ") in " + types.source() + " has no size");
        }
        return Math.toIntExact(size);
    }

    /** The struct or union called {@code name}; a {@code "struct "} or {@code "union "} prefix is allowed. */
    public Optional<StructLayout> struct(String name) {
        String tag = name.replaceFirst("^(struct|union)\\s+", "");
        int id = types.find(tag, kind -> kind == BtfKind.STRUCT || kind == BtfKind.UNION);
        if (id == 0) {
            return Optional.empty();
        }
        List<StructLayout.Member> members = new ArrayList<>();
        addMembers(id, 0, members, 0);
        return Optional.of(new StructLayout(types.name(id), types.sizeOrType(id), members));
    }

    private void addMembers(int id, long baseBitOffset, List<StructLayout.Member> out, int depth) {
        boolean packedOffsets = types.kindFlag(id);
        for (int i = 0; i < types.vlen(id); i++) {
            String name = types.string(types.entryWord(id, i, 0));
            int type = types.entryWord(id, i, 1);
            int offset = types.entryWord(id, i, 2);
            // With kind_flag set, the offset word packs the bitfield size into its top 8 bits.
            long bitOffset = packedOffsets ? offset & 0xffffff : Integer.toUnsignedLong(offset);
            int bitfieldSize = packedOffsets ? offset >>> 24 : 0;
            int resolved = types.resolve(type);
            BtfKind kind = types.kind(resolved);
            if (name.isEmpty()) {
                // Anonymous struct or union: C names its members directly. Unnamed bitfields are padding.
                if ((kind == BtfKind.STRUCT || kind == BtfKind.UNION) && depth < 32) {
                    addMembers(resolved, baseBitOffset + bitOffset, out, depth + 1);
                }
                continue;
            }
            if (!packedOffsets && kind == BtfKind.INT) {
                // Older encoders describe a bitfield by an INT narrower than its storage.
                int encoding = types.fixedWord(resolved, 0);
                int bits = encoding & 0xff;
                int intBitOffset = (encoding >>> 16) & 0xff;
                if (intBitOffset != 0 || bits != types.sizeOrType(resolved) * 8) {
                    bitOffset += intBitOffset;
                    bitfieldSize = bits;
                }
            }
            int byteSize = (int) Math.max(0, types.sizeOf(type));
            out.add(new StructLayout.Member(name, baseBitOffset + bitOffset, bitfieldSize,
                    TypeNames.of(types, type), byteSize));
        }
    }

    /** The {@code DATASEC} called {@code name}, e.g. {@code .rodata}. */
    public Optional<DataSection> dataSection(String name) {
        return Optional.ofNullable(dataSections.get(name));
    }

    /**
     * The value of the enumerator called {@code enumerator}, from any enum. Unsigned values above
     * {@link Integer#MAX_VALUE} come back negative: read them with {@link Integer#toUnsignedLong}.
     *
     * @throws ArithmeticException if it is a 64-bit enumerator whose value does not fit 32 bits
     */
    public Optional<Integer> enumValue(String enumerator) {
        byte[] utf8 = enumerator.getBytes(StandardCharsets.UTF_8);
        for (int id = 1; id < types.count(); id++) {
            BtfKind kind = types.kind(id);
            if (kind != BtfKind.ENUM && kind != BtfKind.ENUM64) {
                continue;
            }
            for (int i = 0; i < types.vlen(id); i++) {
                if (!types.stringEquals(types.entryWord(id, i, 0), utf8)) {
                    continue;
                }
                if (kind == BtfKind.ENUM) {
                    return Optional.of(types.entryWord(id, i, 1));
                }
                long value = Integer.toUnsignedLong(types.entryWord(id, i, 1)) | (long) types.entryWord(id, i, 2) << 32;
                boolean fits = types.kindFlag(id) ? value == (int) value : value >>> 32 == 0;
                if (!fits) {
                    throw new ArithmeticException("enumerator " + enumerator + " = " + value + " in "
                            + types.source() + " does not fit in 32 bits");
                }
                return Optional.of((int) value);
            }
        }
        return Optional.empty();
    }

    private void checkId(int typeId) {
        if (typeId < 0 || typeId >= types.count()) {
            throw new IllegalArgumentException("no type " + typeId + " in " + types.source()
                    + "; ids run from 0 to " + (types.count() - 1));
        }
    }
}
