package io.bpfscope.bridge.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.bridge.sys.HostFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ElfFileTest {
    private static final Path LIBC = Path.of("/usr/lib/x86_64-linux-gnu/libc.so.6");
    private static final Path LIBSSL = Path.of("/usr/lib/x86_64-linux-gnu/libssl.so.3");
    private static final Path LS = Path.of("/bin/ls");

    @Test
    void libcGetaddrinfoMapsToTheFileOffsetReadelfImplies() throws IOException, InterruptedException {
        HostFiles.require(LIBC, "the Debian x86_64 path of libc");
        ElfFile libc = ElfFile.open(LIBC);

        long offset = libc.uprobeOffset("getaddrinfo");

        assertThat(libc.name()).isEqualTo(LIBC.toString());
        assertThat(libc.uprobeOffset("getaddrinfo@@GLIBC_2.2.5")).isEqualTo(offset);
        if (ReadElf.available()) {
            assertThat(offset).isEqualTo(ReadElf.uprobeOffset(LIBC, "getaddrinfo@@GLIBC_2.2.5"));
        } else {
            assertOffsetAgreesWithText(libc, "getaddrinfo", offset);
        }
    }

    @Test
    void versionedDuplicatesResolveToTheDefaultUnlessAVersionIsGiven() throws IOException {
        HostFiles.require(LIBC, "the Debian x86_64 path of libc");
        ElfFile libc = ElfFile.open(LIBC);
        // glibc keeps realpath@GLIBC_2.2.5 for old binaries beside the default realpath@@GLIBC_2.3.
        ElfSymbol current = function(libc, "realpath", true);
        ElfSymbol compat = function(libc, "realpath", false);

        assertThat(current.value()).isNotEqualTo(compat.value());
        assertThat(libc.uprobeOffset("realpath")).isEqualTo(libc.uprobeOffset(current.qualifiedName()));
        assertThat(libc.uprobeOffset("realpath@" + compat.version()))
                .isEqualTo(compat.value() - current.value() + libc.uprobeOffset("realpath"));
        assertThatThrownBy(() -> libc.uprobeOffset("realpath@@" + compat.version()))
                .isInstanceOf(ElfSymbolException.class)
                .hasMessage("no function realpath@@%s in %s (it has %s, %s)",
                        compat.version(), LIBC, current.qualifiedName(), compat.qualifiedName());
    }

    @Test
    void aliasesAtOneAddressAppearOnceAsTheDefaultVersion() throws IOException {
        HostFiles.require(LIBC, "the Debian x86_64 path of libc");
        ElfFile libc = ElfFile.open(LIBC);

        // pthread_create@GLIBC_2.2.5 and pthread_create@@GLIBC_2.34 share an address since glibc 2.34.
        assertThat(libc.functionSymbols()).filteredOn(s -> s.name().equals("pthread_create"))
                .singleElement()
                .satisfies(s -> assertThat(s.defaultVersion()).isTrue())
                .satisfies(s -> assertThat(s.dynamic()).isTrue());
        assertThat(libc.uprobeOffset("pthread_create@GLIBC_2.2.5")).isEqualTo(libc.uprobeOffset("pthread_create"));
    }

    @Test
    void missingFunctionIsNamedWithTheFile() throws IOException {
        HostFiles.require(LIBC, "the Debian x86_64 path of libc");
        ElfFile libc = ElfFile.open(LIBC);

        assertThatThrownBy(() -> libc.uprobeOffset("no_such_function"))
                .isInstanceOf(ElfSymbolException.class)
                .hasMessage("no function no_such_function in " + LIBC);
        assertThat(libc.hasSymbol("SSL_write")).isFalse();
        assertThat(libc.hasSymbol("getaddrinfo")).isTrue();
    }

    @Test
    void libsslExportsVersionedReadAndWrite() throws IOException, InterruptedException {
        HostFiles.require(LIBSSL, "OpenSSL 3, libssl3");
        ElfFile ssl = ElfFile.open(LIBSSL);

        assertThat(ssl.functionSymbols()).filteredOn(s -> s.name().equals("SSL_write") || s.name().equals("SSL_read_ex"))
                .hasSize(2)
                .allSatisfy(s -> {
                    assertThat(s.version()).isEqualTo("OPENSSL_3.0.0");
                    assertThat(s.defaultVersion()).isTrue();
                    assertThat(s.dynamic()).isTrue();
                    assertThat(s.type()).isEqualTo(ElfSymbol.STT_FUNC);
                });
        assertThat(ssl.hasSymbol("SSL_write")).isTrue();
        assertThat(ssl.hasSymbol("SSL_read_ex@@OPENSSL_3.0.0")).isTrue();
        assertThat(ssl.hasSymbol("SSL_write@OPENSSL_1.1.0")).isFalse();
        assertThat(ssl.uprobeOffset("SSL_write@OPENSSL_3.0.0")).isEqualTo(ssl.uprobeOffset("SSL_write"));
        if (ReadElf.available()) {
            assertThat(ssl.uprobeOffset("SSL_read_ex")).isEqualTo(ReadElf.uprobeOffset(LIBSSL, "SSL_read_ex@@OPENSSL_3.0.0"));
        }
    }

    @Test
    void executableHasSegmentsAndSections() throws IOException {
        HostFiles.require(LS, "a dynamically linked program of the host");
        ElfFile ls = ElfFile.open(LS);

        assertThat(ls.machine()).isEqualTo(62);
        assertThat(ls.programHeaders()).anySatisfy(s -> {
            assertThat(s.isLoad()).isTrue();
            assertThat(s.isExecutable()).isTrue();
        });
        assertThat(ls.section(".dynsym")).get().satisfies(b -> {
            assertThat(b.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            assertThat((long) b.remaining()).isEqualTo(ls.sectionHeader(".dynsym").orElseThrow().size());
        });
        assertThat(ls.section(".bss")).get().satisfies(b -> assertThat(b.remaining()).isZero());
        assertThat(ls.section(".no_such_section")).isEmpty();
        assertThat(ls.hasSymbol("SSL_write")).isFalse();
    }

    @Test
    void syntheticImageMapsAddressThroughItsLoadSegment() throws IOException {
        ElfFile elf = ElfFile.parse(new ElfImageBuilder()
                .version("V1").version("V2")
                .dynamic("compat", 0x401030, "V1", true)
                .dynamic("compat", 0x401040, "V2", false)
                .dynamic("plain", 0x401050, null, false)
                .build(), "libtest.so");

        assertThat(elf.uprobeOffset("plain")).isEqualTo(0x1050);
        assertThat(elf.uprobeOffset("compat")).isEqualTo(0x1040);
        assertThat(elf.uprobeOffset("compat@V1")).isEqualTo(0x1030);
        assertThat(elf.uprobeOffset("compat@@V2")).isEqualTo(0x1040);
        assertThat(elf.functionSymbols()).extracting(ElfSymbol::qualifiedName)
                .containsExactly("compat@V1", "compat@@V2", "plain");
    }

    @Test
    void ambiguousVersionsAskForOne() throws IOException {
        // Two hidden versions and no default: nothing to prefer.
        ElfFile elf = ElfFile.parse(new ElfImageBuilder()
                .version("V1").version("V2")
                .dynamic("twin", 0x401010, "V1", true)
                .dynamic("twin", 0x401020, "V2", true)
                .build(), "libtwin.so");

        assertThatThrownBy(() -> elf.uprobeOffset("twin"))
                .isInstanceOf(ElfSymbolException.class)
                .hasMessage("function twin in libtwin.so is ambiguous: twin@V1 at 0x401010, twin@V2 at 0x401020;"
                        + " give name@VERSION to choose one");
        assertThat(elf.uprobeOffset("twin@V2")).isEqualTo(0x1020);
    }

    @Test
    void ambiguousUnversionedLocalsSayNoVersionHelps() throws IOException {
        ElfFile elf = ElfFile.parse(new ElfImageBuilder()
                .local("helper", 0x401060)
                .local("helper", 0x401070)
                .build(), "prog");

        assertThatThrownBy(() -> elf.uprobeOffset("helper"))
                .isInstanceOf(ElfSymbolException.class)
                .hasMessageContaining("helper at 0x401060, helper at 0x401070")
                .hasMessageEndingWith("they carry no versions, so attach by file offset instead");
    }

    @Test
    void garbageIsNotElf() {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        garbage[0] = 0x12;

        assertThatThrownBy(() -> ElfFile.parse(garbage, "garbage.bin"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessageStartingWith("garbage.bin: offset 0: expected ELF magic 7f 45 4c 46, found bytes 12 ")
                .satisfies(e -> assertThat(((ElfFormatException) e).offset()).isZero());
        assertThatThrownBy(() -> ElfFile.parse(new byte[] {0x7f, 'E'}, "short"))
                .hasMessage("short: offset 2: expected ELF magic 7f 45 4c 46, found end of file after 2 bytes");
    }

    @Test
    void otherClassesAndByteOrdersAreRefused() throws IOException {
        byte[] image = new ElfImageBuilder().build();
        byte[] elf32 = image.clone();
        elf32[4] = 1;
        byte[] bigEndian = image.clone();
        bigEndian[5] = 2;
        byte[] arm32 = image.clone();
        arm32[18] = 40;

        assertThatThrownBy(() -> ElfFile.parse(elf32, "x"))
                .hasMessage("x: offset 4: expected a 64-bit ELF file (EI_CLASS 2), found a 32-bit one (EI_CLASS 1)");
        assertThatThrownBy(() -> ElfFile.parse(bigEndian, "x"))
                .hasMessage("x: offset 5: expected a little-endian ELF file (EI_DATA 1), found a big-endian one (EI_DATA 2)");
        assertThatThrownBy(() -> ElfFile.parse(arm32, "x"))
                .hasMessage("x: offset 18: expected e_machine x86_64 (62), aarch64 (183) or BPF (247), found machine 40");
    }

    @Test
    void truncatedFilesNameWhatIsMissing() throws IOException {
        HostFiles.require(LIBC, "the Debian x86_64 path of libc");
        byte[] libc = Files.readAllBytes(LIBC);
        long sectionTable = ByteBuffer.wrap(libc).order(ByteOrder.LITTLE_ENDIAN).getLong(40);

        assertThatThrownBy(() -> ElfFile.parse(Arrays.copyOf(libc, 40), "libc-40"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessage("libc-40: offset 0: expected the ELF header (64 bytes), found end of file after 40 bytes");
        assertThatThrownBy(() -> ElfFile.parse(Arrays.copyOf(libc, 4096), "libc-4k"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessageStartingWith("libc-4k: offset " + sectionTable + ": expected section header table (")
                .hasMessageEndingWith("found end of file after 4096 bytes");
    }

    @Test
    void sectionPastTheEndIsNamed() throws IOException {
        byte[] image = new ElfImageBuilder().dynamic("f", 0x401000, null, false).build();
        ByteBuffer bytes = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        long dynsymHeader = bytes.getLong(40) + 3 * 64;
        bytes.putLong((int) dynsymHeader + 24, 0x7fff_0000L); // sh_offset

        assertThatThrownBy(() -> ElfFile.parse(image, "cut.so"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessage("cut.so: offset " + 0x7fff_0000L + ": expected contents of section .dynsym (48 bytes),"
                        + " found end of file after " + image.length + " bytes");
    }

    private static ElfSymbol function(ElfFile elf, String name, boolean defaultVersion) {
        return elf.functionSymbols().stream()
                .filter(s -> s.name().equals(name) && s.isVersioned() && s.defaultVersion() == defaultVersion)
                .findFirst().orElseThrow();
    }

    /** Without readelf: the offset must sit in .text exactly as far from its start as the address does. */
    private static void assertOffsetAgreesWithText(ElfFile elf, String name, long offset) {
        ElfSection text = elf.sectionHeader(".text").orElseThrow();
        ElfSymbol symbol = elf.functionSymbols().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        assertThat(offset - text.offset()).isEqualTo(symbol.value() - text.address());
    }

    @Test
    void functionOffsetsFromTheHeadersAloneAgreeWithTheFullSymbolTables() throws Exception {
        java.util.Set<String> names = java.util.Set.of("SSL_write", "SSL_read_ex", "malloc", "no_such_function_here");
        for (Path file : java.util.List.of(LIBSSL, LIBC)) {
            ElfFile full = ElfFile.open(file);
            ElfFile headers = ElfFile.openHeaders(file);
            assertThat(headers.symbols()).isEmpty();
            java.util.Map<String, Long> offsets = headers.functionOffsets(names);
            assertThat(offsets).doesNotContainKey("no_such_function_here").isNotEmpty();
            for (var found : offsets.entrySet()) {
                assertThat(found.getValue()).as(file + ":" + found.getKey()).isEqualTo(full.uprobeOffset(found.getKey()));
            }
            for (String name : names) {
                assertThat(offsets.containsKey(name)).as(file + ":" + name).isEqualTo(full.functionSymbols().stream()
                        .anyMatch(s -> s.name().equals(name)));
            }
        }
        assertThat(ElfFile.openHeaders(LS).functionOffsets(names)).isEmpty(); // ls only imports malloc
    }
}
