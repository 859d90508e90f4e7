package io.bpfscope.probes.golang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The length decoder against objdump on real code: every instruction boundary of
 * every Go function of the test client is where GNU objdump puts it, and the
 * returns it finds in crypto/tls.(*Conn).Read are objdump's {@code ret}s. Plus
 * hand-made encodings for what the Go compiler rarely emits.
 */
class X86InstructionsTest {
    private static final Pattern OBJDUMP_LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t([0-9a-f ]+)\\t(.*)$");

    private record Line(long address, String mnemonic) {
    }

    private static List<Line> objdump(Path binary, long start, long end) throws Exception {
        String out = GoPrograms.run(List.of("objdump", "-d", "--insn-width=16", "--no-show-raw-insn",
                String.format("--start-address=0x%x", start), String.format("--stop-address=0x%x", end),
                binary.toString()), binary.getParent());
        List<Line> lines = new ArrayList<>();
        Pattern noRaw = Pattern.compile("^\\s*([0-9a-f]+):\\t(.*)$");
        for (String line : out.split("\n")) {
            Matcher m = noRaw.matcher(line);
            if (m.matches()) {
                lines.add(new Line(Long.parseLong(m.group(1), 16), m.group(2).trim()));
            }
        }
        return lines;
    }

    private static long length(String hex) throws X86Instructions.DecodeException {
        byte[] code = HexFormat.of().parseHex(hex.replace(" ", ""));
        return X86Instructions.length(code, 0, code.length);
    }

    /**
     * Compiled functions only: hand-written assembly ({@code .abi0}) may hold data among its
     * instructions (crypto/internal/boring/sig jumps over a marker), which no linear decoder
     * and not objdump either can walk. The function table names them without the suffix; the
     * symbol table has it.
     */
    @Test
    void everyInstructionOfEveryCompiledFunctionStartsWhereObjdumpSaysItDoes() throws Exception {
        Path client = GoPrograms.client();
        GoBinary go = GoBinary.open(client).orElseThrow();
        List<GoPclntab.Function> functions = go.pclntab().functions();
        TreeMap<Long, GoPclntab.Function> compiled = new TreeMap<>();
        Set<Long> assembly = new HashSet<>();
        go.elf().functionSymbols().stream().filter(s -> s.name().endsWith(".abi0")).forEach(s -> assembly.add(s.value()));
        functions.stream().filter(f -> !assembly.contains(f.entry())).forEach(f -> compiled.put(f.entry(), f));
        assertThat(assembly).isNotEmpty();

        Set<Long> objdumpStarts = new TreeSet<>();
        for (Line line : objdump(client, functions.get(0).entry(), functions.get(functions.size() - 1).end())) {
            Map.Entry<Long, GoPclntab.Function> in = compiled.floorEntry(line.address());
            if (in != null && line.address() < in.getValue().end()) {
                assertThat(line.mnemonic()).as("objdump at 0x%x", line.address()).doesNotContain("(bad)");
                objdumpStarts.add(line.address());
            }
        }
        Set<Long> decodedStarts = new TreeSet<>();
        for (GoPclntab.Function f : compiled.values()) {
            byte[] code = go.code(f);
            try {
                for (int at = 0; at < code.length; at += X86Instructions.length(code, at, code.length)) {
                    decodedStarts.add(f.entry() + at);
                }
            } catch (X86Instructions.DecodeException e) {
                throw new AssertionError(f.name() + String.format(" at 0x%x: ", f.entry()) + e.getMessage(), e);
            }
        }
        assertThat(decodedStarts.size()).isGreaterThan(100_000);
        Set<Long> onlyObjdump = new TreeSet<>(objdumpStarts);
        onlyObjdump.removeAll(decodedStarts);
        Set<Long> onlyDecoded = new TreeSet<>(decodedStarts);
        onlyDecoded.removeAll(objdumpStarts);
        assertThat(onlyObjdump).as("instruction starts only objdump has").isEmpty();
        assertThat(onlyDecoded).as("instruction starts only the decoder has").isEmpty();
    }

    @Test
    void theReturnsOfConnReadAreObjdumpsRets() throws Exception {
        for (Path binary : List.of(GoPrograms.client(), GoPrograms.strippedClient())) {
            GoBinary go = GoBinary.open(binary).orElseThrow();
            GoPclntab.Function read = go.function(GoTls.READ).orElseThrow().function();
            List<Long> rets = objdump(binary, read.entry(), read.end()).stream()
                    .filter(l -> l.mnemonic().startsWith("ret")).map(Line::address).toList();

            List<Long> found = X86Instructions.returns(go.code(read)).stream().map(r -> read.entry() + r).toList();
            assertThat(rets).isNotEmpty();
            assertThat(found).isEqualTo(rets);
        }
    }

    @Test
    void encodingsGoSeldomEmits() throws Exception {
        assertThat(length("c3")).isEqualTo(1);                         // ret
        assertThat(length("c2 08 00")).isEqualTo(3);                   // ret 8
        assertThat(length("f3 c3")).isEqualTo(2);                      // rep ret
        assertThat(length("48 b8 01 02 03 04 05 06 07 08")).isEqualTo(10); // movabs rax, imm64
        assertThat(length("66 b8 01 02")).isEqualTo(4);                // mov ax, imm16
        assertThat(length("b8 01 02 03 04")).isEqualTo(5);             // mov eax, imm32
        assertThat(length("66 0f 1f 84 00 00 00 00 00")).isEqualTo(9); // nopw 0x0(rax,rax,1)
        assertThat(length("48 8b 05 10 20 30 40")).isEqualTo(7);       // mov rax, [rip+disp32]
        assertThat(length("8b 04 25 10 20 30 40")).isEqualTo(7);       // mov eax, [disp32] (SIB, no base)
        assertThat(length("48 8b 44 24 08")).isEqualTo(5);             // mov rax, [rsp+8]
        assertThat(length("48 8b 84 24 00 01 00 00")).isEqualTo(8);    // mov rax, [rsp+0x100]
        assertThat(length("f6 c1 01")).isEqualTo(3);                   // test cl, 1
        assertThat(length("f7 c1 01 00 00 00")).isEqualTo(6);          // test ecx, 1
        assertThat(length("f7 d8")).isEqualTo(2);                      // neg eax
        assertThat(length("66 f7 c1 01 00")).isEqualTo(5);             // test cx, 1
        assertThat(length("c5 fe 6f 06")).isEqualTo(4);                // vmovdqu ymm0, [rsi]
        assertThat(length("c5 f8 77")).isEqualTo(3);                   // vzeroupper
        assertThat(length("c4 e3 7d 39 c1 01")).isEqualTo(6);          // vextracti128 xmm1, ymm0, 1
        assertThat(length("c5 f9 73 d8 08")).isEqualTo(5);             // vpsrldq xmm0, xmm0, 8
        assertThat(length("62 f1 7e 48 6f 06")).isEqualTo(6);          // vmovdqu32 zmm0, [rsi]
        assertThat(length("62 f3 7d 48 39 c1 01")).isEqualTo(7);       // vextracti32x4 xmm1, zmm0, 1
        assertThat(length("66 0f 3a 0f c1 08")).isEqualTo(6);          // palignr xmm0, xmm1, 8
        assertThat(length("66 0f 38 00 c1")).isEqualTo(5);             // pshufb xmm0, xmm1
        assertThat(length("0f 84 00 01 00 00")).isEqualTo(6);          // je rel32
        assertThat(length("a1 01 02 03 04 05 06 07 08")).isEqualTo(9); // movabs eax, moffs64
        assertThat(length("67 a1 01 02 03 04")).isEqualTo(6);          // mov eax, moffs32
        assertThat(length("c8 10 00 01")).isEqualTo(4);                // enter 16, 1
        assertThat(length("8f c0")).isEqualTo(2);                      // pop rax (8f /0), not XOP
        assertThat(length("f0 48 0f b1 0e")).isEqualTo(5);             // lock cmpxchg [rsi], rcx
        assertThat(length("64 48 8b 04 25 f8 ff ff ff")).isEqualTo(9); // mov rax, fs:[-8]
        assertThat(length("0f 0b")).isEqualTo(2);                      // ud2
        assertThat(length("cc")).isEqualTo(1);                         // int3
    }

    @Test
    void bytesThatAreNoInstructionOrAreCutOffAreRefused() {
        assertThatThrownBy(() -> length("06")).isInstanceOf(X86Instructions.DecodeException.class); // push es
        assertThatThrownBy(() -> length("48 8b")).isInstanceOf(X86Instructions.DecodeException.class);
        assertThatThrownBy(() -> length("e8 00 00")).isInstanceOf(X86Instructions.DecodeException.class);
        assertThatThrownBy(() -> length("66".repeat(15) + "90")).isInstanceOf(X86Instructions.DecodeException.class);
    }

    @Test
    void aRetInsideAnotherInstructionIsNoReturn() throws Exception {
        // mov eax, 0xc3c3c3c3; ret
        byte[] code = HexFormat.of().parseHex("b8c3c3c3c3c3");
        assertThat(X86Instructions.returns(code)).containsExactly(5);
    }
}
