package io.bpfscope.probes.golang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The function table layouts no Go installed here produces (1.2-1.15, 1.16-1.17, 1.20+),
 * built by hand after runtime/symtab.go, and the reader against corrupted tables.
 */
class GoPclntabTest {
    private static final List<String> NAMES = List.of("main.main", "crypto/tls.(*Conn).Read", "crypto/tls.(*Conn).Write");
    private static final long[] ENTRIES = {0x401000, 0x401400, 0x401900, 0x402000}; // the last: the end marker

    @TempDir
    Path dir;

    /**
     * A table as Go 1.16-1.17 (magic fffffffa) writes it: header with nfunc, nfiles and five
     * offsets; names; function table of (entry, funcoff) pairs; _func records {entry, nameoff}.
     */
    private static ByteBuffer go116() {
        ByteBuffer t = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        int names = 64;
        int functab = 256;
        t.putInt(0, GoPclntab.MAGIC_116).put(6, (byte) 1).put(7, (byte) 8).putLong(8, NAMES.size());
        t.putLong(8 + 2 * 8, names).putLong(8 + 6 * 8, functab);
        int[] nameOffsets = writeNames(t, names);
        int records = (NAMES.size() + 1) * 16;
        for (int i = 0; i <= NAMES.size(); i++) {
            t.putLong(functab + i * 16, ENTRIES[i]);
            if (i < NAMES.size()) {
                int record = records + i * 16;
                t.putLong(functab + i * 16 + 8, record);
                t.putLong(functab + record, ENTRIES[i]).putInt(functab + record + 8, nameOffsets[i]);
            }
        }
        return t;
    }

    /** Go 1.18+ (fffffff0, and 1.20's fffffff1): textStart in the header, 32-bit (entryoff, funcoff) pairs. */
    private static ByteBuffer go118(int magic) {
        ByteBuffer t = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        int names = 96;
        int functab = 256;
        long text = ENTRIES[0];
        t.putInt(0, magic).put(6, (byte) 1).put(7, (byte) 8).putLong(8, NAMES.size());
        t.putLong(8 + 2 * 8, text).putLong(8 + 3 * 8, names).putLong(8 + 7 * 8, functab);
        int[] nameOffsets = writeNames(t, names);
        int records = (NAMES.size() + 1) * 8;
        for (int i = 0; i <= NAMES.size(); i++) {
            t.putInt(functab + i * 8, (int) (ENTRIES[i] - text));
            if (i < NAMES.size()) {
                int record = records + i * 16;
                t.putInt(functab + i * 8 + 4, record);
                t.putInt(functab + record, (int) (ENTRIES[i] - text)).putInt(functab + record + 4, nameOffsets[i]);
            }
        }
        return t;
    }

    /** Go 1.2-1.15 (fffffffb): the function table right after the 16-byte header; names relative to the table. */
    private static ByteBuffer go12() {
        ByteBuffer t = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        t.putInt(0, GoPclntab.MAGIC_12).put(6, (byte) 1).put(7, (byte) 8).putLong(8, NAMES.size());
        int functab = 16;
        int names = 512;
        int[] nameOffsets = writeNames(t, names);
        for (int i = 0; i <= NAMES.size(); i++) {
            t.putLong(functab + i * 16, ENTRIES[i]);
            if (i < NAMES.size()) {
                int record = 256 + i * 16;
                t.putLong(functab + i * 16 + 8, record);
                t.putLong(record, ENTRIES[i]).putInt(record + 8, names + nameOffsets[i]);
            }
        }
        return t;
    }

    private static int[] writeNames(ByteBuffer t, int at) {
        int[] offsets = new int[NAMES.size()];
        int next = 0;
        for (int i = 0; i < NAMES.size(); i++) {
            offsets[i] = next;
            byte[] name = NAMES.get(i).getBytes(StandardCharsets.UTF_8);
            t.put(at + next, name);
            next += name.length + 1;
        }
        return offsets;
    }

    @Test
    void everyLayoutGivesTheSameFunctions() throws Exception {
        for (ByteBuffer table : List.of(go12(), go116(), go118(GoPclntab.MAGIC_118), go118(GoPclntab.MAGIC_120))) {
            // The text start given is ignored: older tables hold absolute addresses, newer ones their own.
            GoPclntab pclntab = GoPclntab.read(table, 0x999999);
            assertThat(pclntab.size()).isEqualTo(3);
            assertThat(pclntab.functions()).containsExactly(
                    new GoPclntab.Function("main.main", 0x401000, 0x401400),
                    new GoPclntab.Function("crypto/tls.(*Conn).Read", 0x401400, 0x401900),
                    new GoPclntab.Function("crypto/tls.(*Conn).Write", 0x401900, 0x402000));
            assertThat(pclntab.find("crypto/tls.(*Conn).Read")).map(GoPclntab.Function::entry).contains(0x401400L);
            assertThat(pclntab.find("crypto/tls.(*Conn).Rea")).isEmpty();
            assertThat(pclntab.find("crypto/tls.(*Conn).ReadX")).isEmpty();
        }
        assertThat(GoPclntab.read(go12(), 0).olderThan116()).isTrue();
        assertThat(GoPclntab.read(go116(), 0).layoutVersions()).isEqualTo("1.16-1.17");
        assertThat(GoPclntab.read(go118(GoPclntab.MAGIC_120), 0).layoutVersions()).isEqualTo("1.20+");
    }

    @Test
    void tablesThatAreNotOneOrLieAreRefusedWithASentence() {
        ByteBuffer wrongMagic = go116().putInt(0, 0xfffffff5);
        assertThatThrownBy(() -> GoPclntab.read(wrongMagic, 0)).isInstanceOf(GoFormatException.class)
                .hasMessageContaining("magic 0xfffffff5");
        ByteBuffer thirtyTwoBit = go116().put(7, (byte) 4);
        assertThatThrownBy(() -> GoPclntab.read(thirtyTwoBit, 0)).hasMessageContaining("pointer size 4");
        ByteBuffer tooMany = go116().putLong(8, 1_000_000);
        assertThatThrownBy(() -> GoPclntab.read(tooMany, 0)).isInstanceOf(GoFormatException.class);
        ByteBuffer cut = go116().slice(0, 20);
        assertThatThrownBy(() -> GoPclntab.read(cut, 0)).isInstanceOf(GoFormatException.class);
    }

    /** A real binary with random bytes of its table and its Read function overwritten: an answer or an IOException, never a crash. */
    @Test
    void corruptedBinariesAreInspectedWithoutCrashing() throws Exception {
        Path stripped = GoPrograms.strippedClient();
        byte[] original = Files.readAllBytes(stripped);
        GoBinary go = GoBinary.open(stripped).orElseThrow();
        long table = go.elf().sectionHeader(".gopclntab").orElseThrow().offset();
        long read = go.fileOffset(go.function(GoTls.READ).orElseThrow().function().entry());
        Random random = new Random(12);
        Path copy = dir.resolve("corrupt");
        for (int round = 0; round < 200; round++) {
            byte[] bytes = original.clone();
            long base = round % 2 == 0 ? table : read;
            for (int i = 0; i < 1 + random.nextInt(8); i++) {
                bytes[(int) base + random.nextInt(round % 2 == 0 ? 128 : 256)] = (byte) random.nextInt(256);
            }
            Files.write(copy, bytes);
            try {
                GoTls.inspect(copy).ifPresent(inspection -> assertThat(inspection.describe()).startsWith("Go crypto/tls"));
            } catch (IOException e) {
                // refused as no ELF or unreadable: fine
            }
        }
    }
}
