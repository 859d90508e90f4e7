package io.bpfscope.bridge.elf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the defined symbols of {@code .dynsym} and {@code .symtab}, with GNU symbol versions.
 * Tables are found by section type, not name, so renamed or stripped files still work.
 */
final class SymbolTableReader {
    private static final int SYMBOL_SIZE = 24;
    private static final int SHN_UNDEF = 0;
    private static final int STT_SECTION = 3;
    private static final int STT_FILE = 4;
    /** In {@code .gnu.version}: set for {@code name@VERSION}, clear for the default {@code name@@VERSION}. */
    private static final int VERSYM_HIDDEN = 0x8000;
    /** In {@code .gnu.version_d}: the entry naming the file itself, not a version symbols carry. */
    private static final int VER_FLG_BASE = 1;
    private static final int VERDEF_SIZE = 20;

    private SymbolTableReader() {
    }

    /** All defined symbols, {@code .dynsym} first, in table order; duplicates are kept. */
    static List<ElfSymbol> read(ElfBytes in, List<ElfSection> sections) throws ElfFormatException {
        List<ElfSymbol> symbols = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            if (sections.get(i).type() == ElfSection.SHT_DYNSYM) {
                readTable(in, sections, i, true, symbols);
            }
        }
        for (int i = 0; i < sections.size(); i++) {
            if (sections.get(i).type() == ElfSection.SHT_SYMTAB) {
                readTable(in, sections, i, false, symbols);
            }
        }
        return symbols;
    }

    /**
     * The addresses of the defined functions called one of {@code names}: looked up in
     * {@code .dynsym} through its GNU hash table (or by a walk without one), and only when
     * none is there, by a walk of {@code .symtab} (an {@code @VERSION} spelled into a name is
     * ignored). The first definition of each wins. Fast on large files: a walk compares raw
     * name bytes and makes no string for the names that do not match.
     */
    static Map<String, Long> functionAddresses(ElfBytes in, List<ElfSection> sections, java.util.Set<String> names)
            throws ElfFormatException {
        Map<String, Long> found = new java.util.LinkedHashMap<>();
        for (int i = 0; i < sections.size(); i++) {
            ElfSection table = sections.get(i);
            if (table.type() != ElfSection.SHT_DYNSYM || table.entrySize() != SYMBOL_SIZE) {
                continue;
            }
            ElfSection hash = gnuHashFor(sections, i);
            if (hash != null) {
                lookUp(in, table, linkedStringTable(in, sections, table), hash, names, found);
            } else {
                walk(in, table, linkedStringTable(in, sections, table), names, found);
            }
        }
        if (found.isEmpty()) {
            for (ElfSection table : sections) {
                if (table.type() == ElfSection.SHT_SYMTAB && table.entrySize() == SYMBOL_SIZE) {
                    walk(in, table, linkedStringTable(in, sections, table), names, found);
                }
            }
        }
        return found;
    }

    private static ElfSection gnuHashFor(List<ElfSection> sections, int dynsymIndex) {
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_GNU_HASH && s.link() == dynsymIndex && s.hasFileData()) {
                return s;
            }
        }
        return null;
    }

    /** Each name through the GNU hash table: its bucket, then the chain of symbols with the same hash. */
    private static void lookUp(ElfBytes in, ElfSection table, ElfSection strings, ElfSection hash,
                               java.util.Set<String> names, Map<String, Long> found) throws ElfFormatException {
        ByteBuffer h = in.slice(hash.offset(), hash.size());
        ByteBuffer symbols = in.slice(table.offset(), table.size() / SYMBOL_SIZE * SYMBOL_SIZE);
        ByteBuffer text = in.slice(strings.offset(), strings.size());
        if (h.limit() < 16) {
            throw in.error(hash.offset(), "a GNU hash table header", hash.size() + " bytes");
        }
        long buckets = Integer.toUnsignedLong(h.getInt(0));
        long firstSymbol = Integer.toUnsignedLong(h.getInt(4));
        long bloomWords = Integer.toUnsignedLong(h.getInt(8));
        long bucketsAt = 16 + bloomWords * 8;
        long chainAt = bucketsAt + buckets * 4;
        long symbolCount = symbols.limit() / SYMBOL_SIZE;
        if (buckets == 0 || chainAt > h.limit()) {
            throw in.error(hash.offset(), "a GNU hash table inside its section", buckets + " buckets");
        }
        for (String name : names) {
            byte[] wanted = name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            int nameHash = gnuHash(wanted);
            long index = Integer.toUnsignedLong(h.getInt((int) (bucketsAt + Integer.remainderUnsigned(nameHash, (int) buckets) * 4L)));
            if (index == 0 || index < firstSymbol) {
                continue;
            }
            for (; index < symbolCount; index++) {
                long chainEntry = chainAt + (index - firstSymbol) * 4;
                if (chainEntry + 4 > h.limit()) {
                    break;
                }
                int chained = h.getInt((int) chainEntry);
                int at = (int) (index * SYMBOL_SIZE);
                if ((chained | 1) == (nameHash | 1) && isDefinedFunction(symbols, at)
                        && nameIs(text, Integer.toUnsignedLong(symbols.getInt(at)), wanted)) {
                    found.putIfAbsent(name, symbols.getLong(at + 8));
                    break;
                }
                if ((chained & 1) != 0) {
                    break; // the chain's last symbol
                }
            }
        }
    }

    /** Every entry of a table, comparing raw name bytes (up to an {@code @}) with the wanted names. */
    private static void walk(ElfBytes in, ElfSection table, ElfSection strings, java.util.Set<String> names,
                             Map<String, Long> found) {
        int longest = names.stream().mapToInt(String::length).max().orElse(0);
        ByteBuffer text = in.slice(strings.offset(), strings.size());
        ByteBuffer symbols = in.slice(table.offset(), table.size() / SYMBOL_SIZE * SYMBOL_SIZE);
        byte[] candidate = new byte[longest + 1];
        for (int at = SYMBOL_SIZE; at + SYMBOL_SIZE <= symbols.limit(); at += SYMBOL_SIZE) {
            if (!isDefinedFunction(symbols, at)) {
                continue;
            }
            long nameIndex = Integer.toUnsignedLong(symbols.getInt(at));
            int length = 0;
            while (length <= longest && nameIndex + length < text.limit()) {
                byte b = text.get((int) (nameIndex + length));
                if (b == 0 || b == '@') {
                    break;
                }
                candidate[length++] = b;
            }
            if (length == 0 || length > longest) {
                continue;
            }
            String name = new String(candidate, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (names.contains(name)) {
                found.putIfAbsent(name, symbols.getLong(at + 8));
            }
        }
    }

    private static boolean isDefinedFunction(ByteBuffer symbols, int at) {
        int type = symbols.get(at + 4) & 0xf;
        return (type == ElfSymbol.STT_FUNC || type == ElfSymbol.STT_GNU_IFUNC) && symbols.getShort(at + 6) != SHN_UNDEF;
    }

    /** Whether the NUL-terminated string at {@code index} is exactly {@code wanted}. */
    private static boolean nameIs(ByteBuffer text, long index, byte[] wanted) {
        if (index + wanted.length >= text.limit()) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (text.get((int) (index + i)) != wanted[i]) {
                return false;
            }
        }
        return text.get((int) (index + wanted.length)) == 0;
    }

    /** The GNU hash of a symbol name (dl_new_hash): h = h * 33 + c from 5381. */
    private static int gnuHash(byte[] name) {
        int h = 5381;
        for (byte b : name) {
            h = h * 33 + (b & 0xff);
        }
        return h;
    }

    private static void readTable(ElfBytes in, List<ElfSection> sections, int tableIndex, boolean dynamic,
                                  List<ElfSymbol> out) throws ElfFormatException {
        ElfSection table = sections.get(tableIndex);
        if (table.entrySize() != SYMBOL_SIZE) {
            throw in.error(table.offset(), "symbols of " + SYMBOL_SIZE + " bytes in " + table.name(),
                    "entry size " + table.entrySize());
        }
        ElfSection strings = linkedStringTable(in, sections, table);
        long count = table.size() / SYMBOL_SIZE;
        ElfSection versions = dynamic ? versionTableFor(sections, tableIndex) : null;
        Map<Integer, String> versionNames = Map.of();
        if (versions != null) {
            in.requireTable(versions.offset(), count, 2,
                    versions.name() + " with one entry per symbol of " + table.name());
            versionNames = versionDefinitions(in, sections);
        }
        // Entry 0 is the reserved null symbol.
        for (long n = 1; n < count; n++) {
            long at = table.offset() + n * SYMBOL_SIZE;
            String where = "symbol " + n + " of " + table.name();
            int info = in.u8(at + 4, where);
            int type = info & 0xf;
            if (in.u16(at + 6, where) == SHN_UNDEF || type == STT_SECTION || type == STT_FILE) {
                continue;
            }
            String rawName = in.string(strings.offset(), strings.size(), in.u32(at, where), "name of " + where);
            if (rawName.isEmpty()) {
                continue;
            }
            long value = in.u64(at + 8, where);
            long size = in.u64(at + 16, where);
            String name = rawName;
            String version = "";
            boolean defaultVersion = true;
            if (versions != null) {
                int versym = in.u16(versions.offset() + 2 * n, "version of " + where);
                String versionName = versionNames.get(versym & ~VERSYM_HIDDEN);
                if (versionName != null) {
                    version = versionName;
                    defaultVersion = (versym & VERSYM_HIDDEN) == 0;
                }
            } else {
                // .symtab of unstripped libraries spells versions into the name: foo@V or foo@@V.
                int versionMark = rawName.indexOf('@');
                if (versionMark > 0) {
                    name = rawName.substring(0, versionMark);
                    defaultVersion = rawName.startsWith("@@", versionMark);
                    version = rawName.substring(versionMark + (defaultVersion ? 2 : 1));
                }
            }
            out.add(new ElfSymbol(name, version, defaultVersion, value, size, type, info >>> 4, dynamic));
        }
    }

    private static ElfSection linkedStringTable(ElfBytes in, List<ElfSection> sections, ElfSection owner)
            throws ElfFormatException {
        int link = owner.link();
        if (link <= 0 || link >= sections.size() || sections.get(link).type() != ElfSection.SHT_STRTAB) {
            throw in.error(owner.offset(), "sh_link of " + owner.name() + " to name a string table section",
                    "section index " + link);
        }
        return sections.get(link);
    }

    private static ElfSection versionTableFor(List<ElfSection> sections, int dynsymIndex) {
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_GNU_VERSYM && s.link() == dynsymIndex) {
                return s;
            }
        }
        return null;
    }

    /** Version index to name, from {@code .gnu.version_d}; the file's own base entry is left out. */
    private static Map<Integer, String> versionDefinitions(ElfBytes in, List<ElfSection> sections)
            throws ElfFormatException {
        Map<Integer, String> names = new HashMap<>();
        for (ElfSection verdef : sections) {
            if (verdef.type() != ElfSection.SHT_GNU_VERDEF) {
                continue;
            }
            ElfSection strings = linkedStringTable(in, sections, verdef);
            long at = verdef.offset();
            long end = verdef.offset() + verdef.size();
            // sh_info holds the number of entries; vd_next chains them.
            for (int n = 0; n < verdef.info(); n++) {
                String where = "version definition " + n + " of " + verdef.name();
                if (at + VERDEF_SIZE > end) {
                    throw in.error(at, where + " inside the section", "end of section at offset " + end);
                }
                int vdVersion = in.u16(at, where);
                if (vdVersion != 1) {
                    throw in.error(at, "vd_version 1 in " + where, "version " + vdVersion);
                }
                int flags = in.u16(at + 2, where);
                int index = in.u16(at + 4, where);
                long aux = in.u32(at + 12, where);
                if ((flags & VER_FLG_BASE) == 0) {
                    long nameIndex = in.u32(at + aux, "first name of " + where);
                    names.put(index, in.string(strings.offset(), strings.size(), nameIndex, "name of " + where));
                }
                long next = in.u32(at + 16, where);
                if (next == 0) {
                    break;
                }
                at += next;
            }
        }
        return names;
    }
}
