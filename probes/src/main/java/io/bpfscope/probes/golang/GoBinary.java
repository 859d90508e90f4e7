package io.bpfscope.probes.golang;

import io.bpfscope.bridge.elf.ElfFile;
import io.bpfscope.bridge.elf.ElfSection;
import io.bpfscope.bridge.elf.ElfSegment;
import io.bpfscope.bridge.elf.ElfSymbol;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Go executable: its Go version (from the build info the linker writes,
 * {@code go version -m} reads the same) and its functions, from {@code .symtab}
 * when present and otherwise from the runtime's function table, which stripped
 * binaries keep. When section headers are gone too, both are found by their magic
 * bytes in the loaded segments. Immutable; the file stays mapped as long as this lives.
 */
public final class GoBinary {
    private static final byte[] BUILDINFO_MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
    private static final Pattern GO_VERSION = Pattern.compile("go1\\.(\\d+)");
    private static final int EM_X86_64 = 62;

    private final Path path;
    private final ElfFile elf;
    private final ByteBuffer file;
    private final String version;
    private final GoPclntab pclntab;

    private GoBinary(Path path, ElfFile elf, ByteBuffer file, String version, GoPclntab pclntab) {
        this.path = path;
        this.elf = elf;
        this.file = file;
        this.version = version;
        this.pclntab = pclntab;
    }

    /**
     * Opens {@code path} if it is a Go ELF executable: empty when it is ELF but not Go.
     *
     * @throws IOException         if it cannot be read or is no ELF file
     * @throws GoFormatException   if it looks like Go but its function table cannot be read
     */
    public static Optional<GoBinary> open(Path path) throws IOException, GoFormatException {
        return open(path, ElfFile.open(path));
    }

    /** Like {@link #open(Path)}, with the file's headers already read. */
    public static Optional<GoBinary> open(Path path, ElfFile elf) throws IOException, GoFormatException {
        if (!mayBeGo(elf)) {
            return Optional.empty();
        }
        ByteBuffer file;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
        Optional<ByteBuffer> table = elf.section(".gopclntab").or(() -> findByMagic(elf, file));
        if (table.isEmpty()) {
            return Optional.empty();
        }
        long textStart = elf.sectionHeader(".text").map(ElfSection::address).orElse(0L);
        GoPclntab pclntab = GoPclntab.read(table.get(), textStart);
        String version = buildVersion(elf, file).orElse("");
        return Optional.of(new GoBinary(path, elf, file, version, pclntab));
    }

    /** False when the file surely is no Go program: it has section headers, and no {@code .gopclntab}. */
    public static boolean mayBeGo(ElfFile elf) {
        // Every Go linker since 1.2 names the table; only a file without section headers hides it.
        return elf.sections().isEmpty() || elf.sectionHeader(".gopclntab").isPresent();
    }

    public Path path() {
        return path;
    }

    public ElfFile elf() {
        return elf;
    }

    /** The Go release that built it, e.g. {@code go1.19.8}; empty when the build info is missing. */
    public String version() {
        return version;
    }

    /** The minor release (19 for go1.19.8), when known. */
    public OptionalInt minorVersion() {
        Matcher m = GO_VERSION.matcher(version);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    public GoPclntab pclntab() {
        return pclntab;
    }

    public boolean isX86_64() {
        return elf.machine() == EM_X86_64;
    }

    /**
     * Whether its Go code passes arguments in registers: Go 1.17+ on amd64. Unknown versions
     * decide by the table's layout: 1.18+ tables mean yes, pre-1.16 tables no, 1.16-1.17 unknown (empty).
     */
    public Optional<Boolean> registerAbi() {
        OptionalInt minor = minorVersion();
        if (minor.isPresent()) {
            return Optional.of(minor.getAsInt() >= 17);
        }
        if (pclntab.olderThan116()) {
            return Optional.of(false);
        }
        return pclntab.layoutVersions().equals("1.16-1.17") ? Optional.empty() : Optional.of(true);
    }

    /** Whether {@code .symtab} holds the Go symbols ({@code -s} removes it). */
    public boolean hasSymbolTable() {
        return elf.sectionHeader(".symtab").isPresent();
    }

    /** A function and the table it was found in: {@code .symtab} or {@code .gopclntab}. */
    public record Located(GoPclntab.Function function, String table) {
    }

    /**
     * The function called {@code name}: from {@code .symtab} when it was read (an {@link ElfFile}
     * opened with its symbols) and has it with a size, else from the runtime's function table
     * (whose end is the next function's entry).
     */
    public Optional<Located> function(String name) throws GoFormatException {
        for (ElfSymbol symbol : elf.functionSymbols()) {
            if (symbol.name().equals(name) && symbol.size() > 0) {
                return Optional.of(new Located(new GoPclntab.Function(name, symbol.value(), symbol.value() + symbol.size()),
                        ".symtab"));
            }
        }
        return pclntab.find(name).map(f -> new Located(f, ".gopclntab"));
    }

    /** The file offset of a virtual address, through the loadable segment holding it. */
    public long fileOffset(long address) throws GoFormatException {
        return offsetOf(elf, address).orElseThrow(() -> new GoFormatException(
                String.format("address 0x%x of %s is in no loadable segment", address, path)));
    }

    /** The machine code of {@code function}, as in the file. */
    public byte[] code(GoPclntab.Function function) throws GoFormatException {
        long size = function.size();
        if (size <= 0 || size > 1 << 24) {
            throw new GoFormatException(function.name() + " has a size of " + size + " bytes");
        }
        return bytes(fileOffset(function.entry()), (int) size, function.name());
    }

    private byte[] bytes(long offset, int length, String what) throws GoFormatException {
        if (offset < 0 || offset + length > file.capacity()) {
            throw new GoFormatException(what + " lies past the end of " + path);
        }
        byte[] out = new byte[length];
        file.get((int) offset, out);
        return out;
    }

    /** A 64-bit little-endian pclntab header by its magic, in the segments loaded read-only. */
    private static Optional<ByteBuffer> findByMagic(ElfFile elf, ByteBuffer file) {
        for (ElfSegment segment : elf.programHeaders()) {
            if (!segment.isLoad() || segment.isExecutable()) { // the table is read-only data
                continue;
            }
            int start = (int) segment.offset();
            int end = (int) Math.min(file.capacity(), segment.offset() + segment.fileSize()) - 8;
            for (int at = start; at < end; at += 4) { // the runtime aligns the table
                if (GoPclntab.isMagic(file.getInt(at)) && file.get(at + 4) == 0 && file.get(at + 5) == 0
                        && file.get(at + 7) == 8) {
                    ByteBuffer candidate = file.slice(at, file.capacity() - at).order(ByteOrder.LITTLE_ENDIAN);
                    if (plausible(candidate)) {
                        return Optional.of(candidate);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** A real table's first functions have names and ascending addresses; a stray magic does not. */
    private static boolean plausible(ByteBuffer candidate) {
        try {
            GoPclntab table = GoPclntab.read(candidate, 0);
            if (table.size() < 2) {
                return false;
            }
            GoPclntab.Function first = table.function(0);
            GoPclntab.Function second = table.function(1);
            return !first.name().isEmpty() && first.end() == second.entry() && first.size() > 0;
        } catch (GoFormatException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The Go version in the build info (Go 1.13+): inline after the header since Go 1.18,
     * before that behind a pointer to the {@code runtime.buildVersion} string.
     */
    private static Optional<String> buildVersion(ElfFile elf, ByteBuffer file) {
        Optional<ByteBuffer> info = elf.section(".go.buildinfo").or(() -> findBuildInfo(file));
        if (info.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer b = info.get().order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte[] magic = new byte[BUILDINFO_MAGIC.length];
            b.get(0, magic);
            if (!java.util.Arrays.equals(magic, BUILDINFO_MAGIC) || b.get(14) != 8) {
                return Optional.empty();
            }
            int flags = b.get(15);
            if ((flags & 1) != 0) {
                return Optional.empty(); // big-endian
            }
            if ((flags & 2) != 0) {
                int[] at = {32};
                long length = uvarint(b, at);
                if (length <= 0 || length > 256) {
                    return Optional.empty();
                }
                byte[] text = new byte[(int) length];
                b.get(at[0], text);
                return Optional.of(new String(text, StandardCharsets.UTF_8));
            }
            return goString(elf, file, b.getLong(16));
        } catch (IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private static Optional<ByteBuffer> findBuildInfo(ByteBuffer file) {
        outer:
        for (int at = 0; at + 32 <= file.capacity(); at += 16) { // the linker aligns it to 16
            for (int i = 0; i < BUILDINFO_MAGIC.length; i++) {
                if (file.get(at + i) != BUILDINFO_MAGIC[i]) {
                    continue outer;
                }
            }
            return Optional.of(file.slice(at, file.capacity() - at));
        }
        return Optional.empty();
    }

    /** A Go string header {@code {data, len}} at virtual address {@code address}, and its bytes. */
    private static Optional<String> goString(ElfFile elf, ByteBuffer file, long address) {
        Optional<Long> header = offsetOf(elf, address);
        if (header.isEmpty()) {
            return Optional.empty();
        }
        long data = file.getLong(header.get().intValue());
        long length = file.getLong(header.get().intValue() + 8);
        Optional<Long> text = offsetOf(elf, data);
        if (text.isEmpty() || length <= 0 || length > 256) {
            return Optional.empty();
        }
        byte[] bytes = new byte[(int) length];
        file.get(text.get().intValue(), bytes);
        return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }

    private static Optional<Long> offsetOf(ElfFile elf, long address) {
        for (ElfSegment segment : elf.programHeaders()) {
            if (segment.isLoad() && segment.containsFileBacked(address)) {
                return Optional.of(address - segment.vaddr() + segment.offset());
            }
        }
        return Optional.empty();
    }

    private static long uvarint(ByteBuffer b, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int next = b.get(at[0]++) & 0xff;
            value |= (long) (next & 0x7f) << shift;
            if (next < 0x80) {
                return value;
            }
        }
        return -1;
    }
}
