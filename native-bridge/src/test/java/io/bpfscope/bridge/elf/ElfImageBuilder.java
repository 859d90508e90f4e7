package io.bpfscope.bridge.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a small x86_64 shared object image for golden tests: one executable PT_LOAD that
 * maps file offset {@link #TEXT_OFFSET} at address {@link #TEXT_ADDRESS} (deliberately not
 * equal, so offset conversion is visible), and function symbols in .dynsym (with GNU
 * versions) and .symtab.
 */
final class ElfImageBuilder {
    static final long TEXT_OFFSET = 0x1000;
    static final long TEXT_ADDRESS = 0x401000;
    static final int TEXT_SIZE = 0x100;

    private record Symbol(String name, String version, boolean hidden, long address, boolean dynamic) {
    }

    private final List<String> versions = new ArrayList<>();
    private final List<Symbol> symbols = new ArrayList<>();

    /** Defines a version; symbols may then use it. */
    ElfImageBuilder version(String name) {
        versions.add(name);
        return this;
    }

    /** A .dynsym function; {@code version} null for none, {@code hidden} for {@code name@VERSION}. */
    ElfImageBuilder dynamic(String name, long address, String version, boolean hidden) {
        symbols.add(new Symbol(name, version, hidden, address, true));
        return this;
    }

    /** A local .symtab function, as static functions appear in unstripped binaries. */
    ElfImageBuilder local(String name, long address) {
        symbols.add(new Symbol(name, null, false, address, false));
        return this;
    }

    byte[] build() {
        ByteBuffer out = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        Strings dynstr = new Strings();
        Strings strtab = new Strings();
        Strings shstrtab = new Strings();

        // .dynsym and .gnu.version, entry 0 reserved.
        ByteBuffer dynsym = table(24 * (1 + count(true)));
        ByteBuffer versym = table(2 * (1 + count(true)));
        ByteBuffer symtab = table(24 * (1 + count(false)));
        dynsym.position(24);
        versym.position(2);
        symtab.position(24);
        for (Symbol s : symbols) {
            ByteBuffer target = s.dynamic() ? dynsym : symtab;
            int name = (s.dynamic() ? dynstr : strtab).add(s.name());
            int binding = s.dynamic() ? ElfSymbol.STB_GLOBAL : ElfSymbol.STB_LOCAL;
            target.putInt(name).put((byte) (binding << 4 | ElfSymbol.STT_FUNC)).put((byte) 0).putShort((short) 1)
                    .putLong(s.address()).putLong(16);
            if (s.dynamic()) {
                int index = s.version() == null ? 1 : 2 + versions.indexOf(s.version());
                versym.putShort((short) (index | (s.hidden() ? 0x8000 : 0)));
            }
        }
        // .gnu.version_d: the file's own base entry, then one per version.
        ByteBuffer verdef = table(28 * (1 + versions.size()));
        List<String> definitions = new ArrayList<>(List.of("libtest.so"));
        definitions.addAll(versions);
        for (int i = 0; i < definitions.size(); i++) {
            boolean last = i == definitions.size() - 1;
            verdef.putShort((short) 1).putShort((short) (i == 0 ? 1 : 0)).putShort((short) (i + 1)).putShort((short) 1)
                    .putInt(0).putInt(20).putInt(last ? 0 : 28)
                    .putInt(dynstr.add(definitions.get(i))).putInt(0);
        }

        byte[] text = new byte[TEXT_SIZE];
        out.position((int) TEXT_OFFSET);
        out.put(text);
        List<long[]> headers = new ArrayList<>(); // name, type, flags, addr, offset, size, link, info, entsize
        headers.add(new long[9]);
        headers.add(new long[] {shstrtab.add(".text"), 1, 6, TEXT_ADDRESS, TEXT_OFFSET, TEXT_SIZE, 0, 0, 0});
        headers.add(section(out, shstrtab.add(".dynstr"), 3, dynstr.bytes(), 0, 0, 0));
        headers.add(section(out, shstrtab.add(".dynsym"), 11, dynsym.array(), 2, 1, 24));
        headers.add(section(out, shstrtab.add(".gnu.version"), 0x6fffffff, versym.array(), 3, 0, 2));
        headers.add(section(out, shstrtab.add(".gnu.version_d"), 0x6ffffffd, verdef.array(), 2, definitions.size(), 0));
        headers.add(section(out, shstrtab.add(".strtab"), 3, strtab.bytes(), 0, 0, 0));
        headers.add(section(out, shstrtab.add(".symtab"), 2, symtab.array(), 6, 1, 24));
        int shstrtabName = shstrtab.add(".shstrtab");
        headers.add(section(out, shstrtabName, 3, shstrtab.bytes(), 0, 0, 0));

        long sectionTable = align(out);
        for (long[] h : headers) {
            out.putInt((int) h[0]).putInt((int) h[1]).putLong(h[2]).putLong(h[3]).putLong(h[4]).putLong(h[5])
                    .putInt((int) h[6]).putInt((int) h[7]).putLong(8).putLong(h[8]);
        }
        int size = out.position();

        out.position(0);
        out.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).put(new byte[8]);
        out.putShort((short) 3).putShort((short) 62).putInt(1).putLong(TEXT_ADDRESS)
                .putLong(64).putLong(sectionTable).putInt(0)
                .putShort((short) 64).putShort((short) 56).putShort((short) 1)
                .putShort((short) 64).putShort((short) headers.size()).putShort((short) (headers.size() - 1));
        // The one PT_LOAD, R+X.
        out.putInt(1).putInt(5).putLong(TEXT_OFFSET).putLong(TEXT_ADDRESS).putLong(TEXT_ADDRESS)
                .putLong(TEXT_SIZE).putLong(TEXT_SIZE).putLong(0x1000);
        byte[] image = new byte[size];
        out.get(0, image);
        return image;
    }

    private long count(boolean dynamic) {
        return symbols.stream().filter(s -> s.dynamic() == dynamic).count();
    }

    private static ByteBuffer table(long bytes) {
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long[] section(ByteBuffer out, int name, int type, byte[] contents, int link, int info, int entrySize) {
        long offset = align(out);
        out.put(contents);
        return new long[] {name, type, 2, 0, offset, contents.length, link, info, entrySize};
    }

    private static long align(ByteBuffer out) {
        out.position((out.position() + 7) & ~7);
        return out.position();
    }

    private static final class Strings {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Strings() {
            bytes.write(0);
        }

        int add(String s) {
            int at = bytes.size();
            bytes.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            bytes.write(0);
            return at;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
