package io.bpfscope.bridge.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed ELF64 little-endian file (x86_64, aarch64 or BPF): section and program headers and
 * the defined symbols, enough to find uprobe offsets and the {@code .BTF} section.
 *
 * <p>Everything is parsed when the file is opened; afterwards the object is immutable and safe
 * for concurrent use. {@link #open} maps the file read-only and the mapping lives as long as
 * this object: replace a file that is in use by renaming, not by rewriting it in place.
 */
public final class ElfFile {
    private static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final int ELFCLASS64 = 2;
    private static final int ELFDATA2LSB = 1;
    private static final int EM_X86_64 = 62;
    private static final int EM_AARCH64 = 183;
    private static final int EM_BPF = 247;
    private static final int HEADER_SIZE = 64;
    private static final int SECTION_HEADER_SIZE = 64;
    private static final int PROGRAM_HEADER_SIZE = 56;
    /** e_phnum value meaning "too many; the real count is in section 0's sh_info". */
    private static final int PN_XNUM = 0xffff;
    /** e_shstrndx value meaning "the real index is in section 0's sh_link". */
    private static final int SHN_XINDEX = 0xffff;

    private final ElfBytes bytes;
    private final int type;
    private final int machine;
    private final List<ElfSection> sections;
    private final List<ElfSegment> programHeaders;
    /** Every defined symbol, duplicates kept: lookups by version need all of them. */
    private final List<ElfSymbol> allSymbols;
    private final List<ElfSymbol> symbols;

    private ElfFile(ElfBytes bytes) throws ElfFormatException {
        this(bytes, true);
    }

    /** {@code withSymbols} false: headers only, for {@link #openHeaders}. */
    private ElfFile(ElfBytes bytes, boolean withSymbols) throws ElfFormatException {
        this.bytes = bytes;
        checkIdentification(bytes);
        this.type = bytes.u16(16, "e_type");
        this.machine = bytes.u16(18, "e_machine");
        if (machine != EM_X86_64 && machine != EM_AARCH64 && machine != EM_BPF) {
            throw bytes.error(18, "e_machine x86_64 (62), aarch64 (183) or BPF (247)", "machine " + machine);
        }
        this.sections = readSections(bytes);
        this.programHeaders = readProgramHeaders(bytes, sections);
        this.allSymbols = withSymbols ? List.copyOf(SymbolTableReader.read(bytes, sections)) : List.of();
        this.symbols = deduplicate(allSymbols);
    }

    /** Maps {@code path} read-only and parses it. */
    public static ElfFile open(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new ElfFormatException(path.toString(), 0, "a file under 2 GiB", size + " bytes");
            }
            return new ElfFile(new ElfBytes(channel.map(FileChannel.MapMode.READ_ONLY, 0, size), path.toString()));
        }
    }

    /**
     * Maps {@code path} and reads only its headers, quickly even for a large executable (node's
     * 100,000 symbols take a quarter of a second to read): {@link #symbols()} and the lookups
     * by symbol are empty; {@link #functionOffsets} finds a few functions by name.
     */
    public static ElfFile openHeaders(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new ElfFormatException(path.toString(), 0, "a file under 2 GiB", size + " bytes");
            }
            return new ElfFile(new ElfBytes(channel.map(FileChannel.MapMode.READ_ONLY, 0, size), path.toString()), false);
        }
    }

    /**
     * The uprobe file offsets of those of {@code names} (bare names, no version) that the file
     * defines as functions: from {@code .dynsym} (through its GNU hash table), and from
     * {@code .symtab} only when {@code .dynsym} defines none of them; the first definition of
     * each wins. Milliseconds even for node, as nothing else is read. Works on any ElfFile, and
     * is what {@link #openHeaders} is for.
     */
    public Map<String, Long> functionOffsets(java.util.Set<String> names) throws ElfFormatException {
        Map<String, Long> offsets = new LinkedHashMap<>();
        for (Map.Entry<String, Long> found : SymbolTableReader.functionAddresses(bytes, sections, names).entrySet()) {
            for (ElfSegment segment : programHeaders) {
                if (segment.isLoad() && segment.containsFileBacked(found.getValue())) {
                    offsets.put(found.getKey(), found.getValue() - segment.vaddr() + segment.offset());
                    break;
                }
            }
        }
        return offsets;
    }

    /** Parses an in-memory image; {@code name} is used in error messages. The array is not copied. */
    public static ElfFile parse(byte[] bytes, String name) throws ElfFormatException {
        return new ElfFile(new ElfBytes(ByteBuffer.wrap(bytes), name));
    }

    /** The path or name given when opening, as used in error messages. */
    public String name() {
        return bytes.file();
    }

    /** {@code e_type}: 1 relocatable object, 2 executable, 3 shared object or PIE. */
    public int type() {
        return type;
    }

    /** {@code e_machine}: 62 x86_64, 183 aarch64, 247 BPF. */
    public int machine() {
        return machine;
    }

    public List<ElfSection> sections() {
        return sections;
    }

    public Optional<ElfSection> sectionHeader(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * The bytes of the first section called {@code name}, as a new little-endian buffer of its own
     * (position 0, limit the section size). A {@code NOBITS} section such as {@code .bss} gives an
     * empty buffer; its size is in {@link #sectionHeader}.
     */
    public Optional<ByteBuffer> section(String name) {
        return sectionHeader(name).map(s -> s.hasFileData() ? bytes.slice(s.offset(), s.size()) : bytes.slice(0, 0));
    }

    public List<ElfSegment> programHeaders() {
        return programHeaders;
    }

    /**
     * Every defined symbol of {@code .dynsym} and {@code .symtab} except section and file
     * symbols. A name and address pair appears once: the versioned {@code .dynsym} entry wins,
     * the default version over a hidden one.
     */
    public List<ElfSymbol> symbols() {
        return symbols;
    }

    /** The defined {@code STT_FUNC} and {@code STT_GNU_IFUNC} entries of {@link #symbols()}. */
    public List<ElfSymbol> functionSymbols() {
        return symbols.stream().filter(ElfSymbol::isFunction).toList();
    }

    /**
     * Whether a defined symbol of any type is called {@code name}; {@code name@VERSION} and
     * {@code name@@VERSION} also check the version. Finds statically linked libraries, e.g.
     * {@code SSL_write} inside a Go or Rust binary.
     */
    public boolean hasSymbol(String name) {
        SymbolName wanted = SymbolName.parse(name);
        return allSymbols.stream().anyMatch(wanted::matches);
    }

    /**
     * The file offset at which to attach a uprobe to function {@code symbol}, given as
     * {@code name}, {@code name@VERSION} or {@code name@@VERSION}. The address is mapped to the
     * file through the {@code PT_LOAD} segment containing it, as libbpf does.
     *
     * <p>When functions of that name sit at several addresses and no version was given, the
     * default ({@code @@}) version is chosen, as the dynamic linker would.
     *
     * @throws ElfSymbolException if there is no such function, it is still ambiguous, or its
     *                            address is in no loadable segment
     */
    public long uprobeOffset(String symbol) throws ElfSymbolException {
        ElfSymbol function = FunctionLookup.find(allSymbols, SymbolName.parse(symbol), name());
        for (ElfSegment segment : programHeaders) {
            if (segment.isLoad() && segment.containsFileBacked(function.value())) {
                return function.value() - segment.vaddr() + segment.offset();
            }
        }
        throw new ElfSymbolException(String.format(
                "function %s in %s is at address 0x%x, which no PT_LOAD segment maps from the file",
                function.qualifiedName(), name(), function.value()));
    }

    private static void checkIdentification(ElfBytes in) throws ElfFormatException {
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= in.size()) {
                throw in.error(i, "ELF magic 7f 45 4c 46", "end of file after " + in.size() + " bytes");
            }
            if ((byte) in.u8(i, "ELF magic") != MAGIC[i]) {
                throw in.error(0, "ELF magic 7f 45 4c 46", "bytes " + hexPrefix(in, 4));
            }
        }
        int elfClass = in.u8(4, "EI_CLASS");
        if (elfClass != ELFCLASS64) {
            throw in.error(4, "a 64-bit ELF file (EI_CLASS 2)",
                    elfClass == 1 ? "a 32-bit one (EI_CLASS 1)" : "EI_CLASS " + elfClass);
        }
        int data = in.u8(5, "EI_DATA");
        if (data != ELFDATA2LSB) {
            throw in.error(5, "a little-endian ELF file (EI_DATA 1)",
                    data == 2 ? "a big-endian one (EI_DATA 2)" : "EI_DATA " + data);
        }
        in.require(0, HEADER_SIZE, "the ELF header");
    }

    private static String hexPrefix(ElfBytes in, int count) throws ElfFormatException {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(count, in.size()); i++) {
            hex.append(i == 0 ? "" : " ").append(String.format("%02x", in.u8(i, "ELF magic")));
        }
        return hex.toString();
    }

    private static List<ElfSection> readSections(ElfBytes in) throws ElfFormatException {
        long tableOffset = in.u64(40, "e_shoff");
        if (tableOffset == 0) {
            return List.of();
        }
        int entrySize = in.u16(58, "e_shentsize");
        if (entrySize != SECTION_HEADER_SIZE) {
            throw in.error(58, "e_shentsize " + SECTION_HEADER_SIZE, String.valueOf(entrySize));
        }
        long count = in.u16(60, "e_shnum");
        long namesIndex = in.u16(62, "e_shstrndx");
        // Files with 0xff00 or more sections keep the real counts in the reserved section 0.
        if (count == 0) {
            count = in.u64(tableOffset + 32, "sh_size of section 0 (the section count)");
        }
        if (namesIndex == SHN_XINDEX) {
            namesIndex = in.u32(tableOffset + 40, "sh_link of section 0 (the section name table index)");
        }
        in.requireTable(tableOffset, count, SECTION_HEADER_SIZE, "section header table");
        if (namesIndex >= count) {
            throw in.error(62, "e_shstrndx below the section count " + count, String.valueOf(namesIndex));
        }
        long namesAt = tableOffset + namesIndex * SECTION_HEADER_SIZE;
        long namesOffset = in.u64(namesAt + 24, "sh_offset of the section name table");
        long namesSize = in.u64(namesAt + 32, "sh_size of the section name table");
        in.require(namesOffset, namesSize, "section name table");

        List<ElfSection> sections = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            long at = tableOffset + i * SECTION_HEADER_SIZE;
            String where = "section header " + i;
            long nameIndex = in.u32(at, where);
            String name = i == 0 ? "" : in.string(namesOffset, namesSize, nameIndex, "name of " + where);
            ElfSection section = new ElfSection(name, (int) in.u32(at + 4, where), in.u64(at + 8, where),
                    in.u64(at + 16, where), in.u64(at + 24, where), in.u64(at + 32, where),
                    (int) in.u32(at + 40, where), (int) in.u32(at + 44, where), in.u64(at + 56, where));
            if (i > 0 && section.hasFileData()) {
                in.require(section.offset(), section.size(), "contents of section " + name);
            }
            sections.add(section);
        }
        return List.copyOf(sections);
    }

    private static List<ElfSegment> readProgramHeaders(ElfBytes in, List<ElfSection> sections)
            throws ElfFormatException {
        long tableOffset = in.u64(32, "e_phoff");
        long count = in.u16(56, "e_phnum");
        if (tableOffset == 0 || count == 0) {
            return List.of();
        }
        if (count == PN_XNUM && !sections.isEmpty()) {
            count = Integer.toUnsignedLong(sections.get(0).info());
        }
        int entrySize = in.u16(54, "e_phentsize");
        if (entrySize != PROGRAM_HEADER_SIZE) {
            throw in.error(54, "e_phentsize " + PROGRAM_HEADER_SIZE, String.valueOf(entrySize));
        }
        in.requireTable(tableOffset, count, PROGRAM_HEADER_SIZE, "program header table");
        List<ElfSegment> segments = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            long at = tableOffset + i * PROGRAM_HEADER_SIZE;
            String where = "program header " + i;
            segments.add(new ElfSegment((int) in.u32(at, where), (int) in.u32(at + 4, where),
                    in.u64(at + 8, where), in.u64(at + 16, where), in.u64(at + 32, where), in.u64(at + 40, where)));
        }
        return List.copyOf(segments);
    }

    private static List<ElfSymbol> deduplicate(List<ElfSymbol> all) {
        Map<String, ElfSymbol> byNameAndAddress = new LinkedHashMap<>();
        for (ElfSymbol symbol : all) {
            byNameAndAddress.merge(symbol.name() + '\0' + symbol.value(), symbol,
                    (kept, next) -> preference(next) > preference(kept) ? next : kept);
        }
        return List.copyOf(byNameAndAddress.values());
    }

    /** Higher is better: versioned beats unversioned, then .dynsym beats .symtab, then @@ beats @. */
    private static int preference(ElfSymbol symbol) {
        return (symbol.isVersioned() ? 4 : 0) + (symbol.dynamic() ? 2 : 0) + (symbol.defaultVersion() ? 1 : 0);
    }
}
