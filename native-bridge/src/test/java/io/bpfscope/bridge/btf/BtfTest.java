package io.bpfscope.bridge.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.bpfscope.bridge.elf.ElfFile;
import io.bpfscope.bridge.sys.HostFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BtfTest {
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    @Test
    void vmlinuxHasTaskStructAndSockCommon() throws IOException {
        HostFiles.require(VMLINUX, "the kernel's BTF, CONFIG_DEBUG_INFO_BTF");
        Btf kernel = Btf.read(VMLINUX);

        StructLayout task = kernel.struct("task_struct").orElseThrow();
        assertThat(task.member("pid")).get()
                .extracting(StructLayout.Member::typeName, StructLayout.Member::byteSize, StructLayout.Member::bitfieldSize)
                .containsExactly("pid_t", 4, 0);
        assertThat(task.member("comm")).get().extracting(StructLayout.Member::typeName).isEqualTo("char[16]");
        assertThat(kernel.sizeOf(kernel.typeId("task_struct").orElseThrow())).isEqualTo(task.size());

        StructLayout sock = kernel.struct("struct sock_common").orElseThrow();
        assertThat(sock.member("skc_family")).get()
                .extracting(StructLayout.Member::byteOffset, StructLayout.Member::byteSize)
                .containsExactly(16L, 2);
        // skc_daddr lives in an anonymous union inside an anonymous struct at the very start.
        assertThat(sock.member("skc_daddr")).get().extracting(StructLayout.Member::bitOffset).isEqualTo(0L);
        assertThat(sock.members()).extracting(StructLayout.Member::name).doesNotContain("");

        assertThat(kernel.enumValue("BPF_MAP_TYPE_RINGBUF")).contains(27);
        assertThat(kernel.struct("file_operations").orElseThrow().member("read")).get()
                .extracting(StructLayout.Member::typeName).asString()
                .startsWith("ssize_t (*)(struct file *, char *, size_t, loff_t *)");
    }

    @Test
    void sampleObjectLayoutMatchesItsSource() throws IOException {
        Btf btf = Btf.fromElf(ElfFile.parse(resource("btf/sample.bpf.o"), "sample.bpf.o"));

        StructLayout event = btf.struct("exec_event").orElseThrow();
        assertThat(event.size()).isEqualTo(40);
        assertThat(event.members())
                .extracting("name", "bitOffset", "bitfieldSize", "typeName", "byteSize")
                .containsExactly(
                        tuple("hdr", 0L, 0, "struct event_header", 16),
                        tuple("comm", 128L, 0, "char[16]", 16),
                        tuple("is_thread", 256L, 1, "__u32", 4),
                        tuple("exit_code", 257L, 8, "__u32", 4),
                        tuple("payload_len", 272L, 0, "__u16", 2),
                        tuple("payload", 288L, 0, "__u8[]", 0));
        assertThat(btf.struct("event_header").orElseThrow().members())
                .extracting("name", "bitOffset", "typeName", "byteSize")
                .containsExactly(
                        tuple("ts_ns", 0L, "__u64", 8),
                        tuple("pid", 64L, "__u32", 4),
                        tuple("kind", 96L, "enum event_kind", 4));
        assertThat(btf.enumValue("EVENT_EXIT")).contains(2);
        assertThat(btf.enumValue("EVENT_NONE")).isEmpty();
        assertThat(btf.struct("no_such_struct")).isEmpty();
        assertThat(btf.sizeOf(btf.typeId("exec_event").orElseThrow())).isEqualTo(40);
    }

    @Test
    void sampleRodataOffsetsComeFromTheSymbolTable() throws IOException {
        ElfFile elf = ElfFile.parse(resource("btf/sample.bpf.o"), "sample.bpf.o");

        DataSection rodata = Btf.fromElf(elf).dataSection(".rodata").orElseThrow();

        assertThat(rodata.size()).isEqualTo(20);
        assertThat(rodata.variables()).extracting("name", "offset", "size")
                .containsExactly(tuple("filter_pid", 0, 4), tuple("filter_comm", 4, 16));
        // clang leaves them unplaced in .BTF itself; that is why fromElf consults the ELF.
        Btf unplaced = Btf.parse(elf.section(".BTF").orElseThrow());
        assertThat(unplaced.dataSection(".rodata").orElseThrow().size()).isZero();
        assertThat(unplaced.dataSection(".rodata").orElseThrow().variable("filter_comm")).get()
                .extracting(DataSection.Variable::offset).isEqualTo(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void everyKindIsSteppedOver(String byteOrder) throws IOException {
        ByteOrder order = byteOrder.equals("LITTLE_ENDIAN") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer bytes = ByteBuffer.wrap(allKinds().build(order));

        Btf btf = Btf.parse(bytes, "golden");

        assertThat(bytes.position()).isZero();
        assertThat(btf.typeCount()).isEqualTo(19);
        // Pre-kind_flag encoders describe a bitfield with a narrow INT.
        assertThat(btf.struct("old_style").orElseThrow().members())
                .extracting("name", "bitOffset", "bitfieldSize", "typeName", "byteSize")
                .containsExactly(tuple("a", 2L, 3, "unsigned int", 4), tuple("b", 32L, 0, "unsigned int", 4));
        assertThat(btf.struct("after_all_kinds").orElseThrow().members())
                .extracting("name", "typeName", "byteSize")
                .containsExactly(tuple("grid", "int[2][3]", 24), tuple("handler", "unsigned int (*)(unsigned int *, ...)", 8));
        assertThat(btf.typeName(7)).isEqualTo("unsigned int *");
        assertThat(btf.typeName(8)).isEqualTo("unsigned int (unsigned int *, ...)");
        assertThat(btf.sizeOf(9)).isEqualTo(8);
        assertThat(btf.enumValue("SMALL")).contains(7);
        assertThatThrownBy(() -> btf.enumValue("HUGE")).isInstanceOf(ArithmeticException.class);
        assertThat(btf.dataSection(".data").orElseThrow().variables()).extracting("name", "offset", "size")
                .containsExactly(tuple("v", 0, 8));
        assertThatThrownBy(() -> btf.sizeOf(12)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("type 12 (FUNC f) in golden has no size");
        assertThatThrownBy(() -> btf.sizeOf(99)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no type 99 in golden; ids run from 0 to 18");
    }

    @Test
    void garbageIsNotBtf() {
        assertThatThrownBy(() -> Btf.parse(ByteBuffer.wrap("not BTF at all".getBytes()), "garbage"))
                .isInstanceOf(BtfFormatException.class)
                .hasMessage("garbage: offset 0: expected BTF magic 0xeb9f, found 0x6f6e");
        assertThatThrownBy(() -> Btf.fromElf(ElfFile.parse(elfWithoutBtf(), "plain.o")))
                .isInstanceOf(BtfFormatException.class)
                .hasMessage("plain.o: expected a .BTF section (compile with clang -g), found none");
    }

    @Test
    void truncatedDataNamesTheOffset() {
        byte[] golden = allKinds().build(ByteOrder.LITTLE_ENDIAN);

        assertThatThrownBy(() -> Btf.parse(ByteBuffer.wrap(Arrays.copyOf(golden, 10)), "cut"))
                .isInstanceOf(BtfFormatException.class)
                .hasMessage("cut: offset 0: expected a BTF header of 24 bytes, found end of data after 10 bytes");
        assertThatThrownBy(() -> Btf.parse(ByteBuffer.wrap(Arrays.copyOf(golden, 100)), "cut"))
                .isInstanceOf(BtfFormatException.class)
                .hasMessageStartingWith("cut: offset 8: expected a type section ending by offset 100, found one from 24 to ");
    }

    @Test
    void corruptTypesNameTheOffset() {
        byte[] unknownKind = allKinds().build(ByteOrder.LITTLE_ENDIAN);
        unknownKind[24 + 7] = 25; // type 1's info word, kind byte
        byte[] danglingReference = allKinds().build(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer.wrap(danglingReference).order(ByteOrder.LITTLE_ENDIAN).putInt(TYPE_7_PTR + 8, 4242);
        byte[] loop = allKinds().build(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer.wrap(loop).order(ByteOrder.LITTLE_ENDIAN).putInt(TYPE_6_TYPE_TAG + 8, 7);

        assertThatThrownBy(() -> Btf.parse(ByteBuffer.wrap(unknownKind), "x"))
                .hasMessage("x: offset 28: expected a BTF kind from 1 to 19 for type 1, found kind 25");
        assertThatThrownBy(() -> Btf.parse(ByteBuffer.wrap(danglingReference), "x"))
                .hasMessageStartingWith("x: offset " + (TYPE_7_PTR + 8) + ": expected a type id below 19, found 4242");
        assertThatThrownBy(() -> Btf.parse(ByteBuffer.wrap(loop), "x"))
                .hasMessage("x: offset " + TYPE_6_TYPE_TAG + ": expected references from type 6 to end within 256 steps,"
                        + " found a loop");
    }

    /** Byte offsets of two records in {@link #allKinds()}, counted from its layout. */
    private static final int TYPE_6_TYPE_TAG = 24 + 16 + 36 + 16 + 36 + 16;
    private static final int TYPE_7_PTR = TYPE_6_TYPE_TAG + 12;

    /** One of nearly every kind, so a wrong trailing size for any of them shifts everything after it. */
    private static BtfBlob allKinds() {
        BtfBlob blob = new BtfBlob();
        int a = blob.name("a");
        int b = blob.name("b");
        int small = blob.name("SMALL");
        int huge = blob.name("HUGE");
        int fmt = blob.name("fmt");
        int grid = blob.name("grid");
        int handler = blob.name("handler");
        return blob
                .type("unsigned int", BtfKind.INT, 0, false, 4, 32)                                  // 1
                .type("old_style", BtfKind.STRUCT, 2, false, 8, a, 3, 0, b, 1, 32)                   // 2
                .type("unsigned int", BtfKind.INT, 0, false, 4, 2 << 16 | 3)                         // 3: 3 bits at bit 2
                .type("big", BtfKind.ENUM64, 2, false, 8, small, 7, 0, huge, 0, 1)                   // 4
                .type("tag", BtfKind.DECL_TAG, 0, false, 2, -1)                                      // 5
                .type("user", BtfKind.TYPE_TAG, 0, false, 1)                                         // 6
                .type("", BtfKind.PTR, 0, false, 6)                                                  // 7
                .type("", BtfKind.FUNC_PROTO, 2, false, 1, fmt, 7, 0, 0)                            // 8
                .type("double", BtfKind.FLOAT, 0, false, 8)                                          // 9
                .type("v", BtfKind.VAR, 0, false, 9, 1)                                              // 10
                .type(".data", BtfKind.DATASEC, 1, false, 8, 10, 0, 8)                               // 11
                .type("f", BtfKind.FUNC, 0, false, 8)                                                // 12
                .type("", BtfKind.PTR, 0, false, 8)                                                  // 13
                .type("", BtfKind.ARRAY, 0, false, 0, 15, 1, 2)                                      // 14
                .type("", BtfKind.ARRAY, 0, false, 0, 16, 1, 3)                                      // 15
                .type("int", BtfKind.INT, 0, false, 4, 1 << 24 | 32)                                 // 16
                .type("after_all_kinds", BtfKind.STRUCT, 2, true, 32, grid, 14, 0, handler, 13, 192) // 17
                .type("opaque", BtfKind.FWD, 0, false, 0);                                           // 18
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = BtfTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("test resource " + name).isNotNull();
            return in.readAllBytes();
        }
    }

    /** The sample object with its .BTF section left nameless, as if compiled without -g. */
    private static byte[] elfWithoutBtf() throws IOException {
        byte[] image = resource("btf/sample.bpf.o");
        ElfFile elf = ElfFile.parse(image, "sample.bpf.o");
        int index = elf.sections().indexOf(elf.sectionHeader(".BTF").orElseThrow());
        ByteBuffer bytes = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt((int) bytes.getLong(40) + index * 64, 0); // sh_name: the empty string
        return image;
    }
}
