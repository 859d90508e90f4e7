package io.bpfscope.probes.golang;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Go binary reader against real builds of the test client: the function
 * table agrees with {@code go tool nm}, in the stripped build too, and the build
 * info gives the version {@code go version} reports.
 */
class GoBinaryTest {

    /** {@code go tool nm}'s text symbols of {@code binary}: name to address. */
    private static Map<String, Set<Long>> nm(Path binary) throws Exception {
        Map<String, Set<Long>> symbols = new HashMap<>();
        for (String line : GoPrograms.run(List.of(GoPrograms.go(), "tool", "nm", binary.toString()),
                binary.getParent()).split("\n")) {
            String[] parts = line.trim().split("\\s+", 3);
            if (parts.length == 3 && (parts[1].equals("T") || parts[1].equals("t"))) {
                symbols.computeIfAbsent(parts[2], k -> new HashSet<>()).add(Long.parseLong(parts[0], 16));
            }
        }
        return symbols;
    }

    private static long only(Set<Long> addresses) {
        assertThat(addresses).hasSize(1);
        return addresses.iterator().next();
    }

    @Test
    void everyFunctionOfThePclntabIsWhereGoToolNmPutsIt() throws Exception {
        Path client = GoPrograms.client();
        Map<String, Set<Long>> nm = nm(client);
        GoBinary go = GoBinary.open(client).orElseThrow();

        List<GoPclntab.Function> functions = go.pclntab().functions();
        assertThat(functions).hasSizeGreaterThan(1000);
        int compared = 0;
        for (GoPclntab.Function f : functions) {
            // Assembly functions are NAME.abi0 in the symbol table, NAME in the function table.
            Set<Long> addresses = new HashSet<>(nm.getOrDefault(f.name(), Set.of()));
            addresses.addAll(nm.getOrDefault(f.name() + ".abi0", Set.of()));
            if (!addresses.isEmpty()) {
                assertThat(addresses).as(f.name()).contains(f.entry());
                compared++;
            }
            assertThat(f.end()).as(f.name()).isGreaterThan(f.entry());
        }
        assertThat(compared).isGreaterThan(functions.size() * 9 / 10);
        assertThat(go.pclntab().find(GoTls.READ).orElseThrow().entry()).isEqualTo(only(nm.get(GoTls.READ)));
        assertThat(go.pclntab().find(GoTls.WRITE).orElseThrow().entry()).isEqualTo(only(nm.get(GoTls.WRITE)));
    }

    @Test
    void theStrippedBuildHasNoSymbolTableButTheSameFunctionsInItsPclntab() throws Exception {
        GoBinary full = GoBinary.open(GoPrograms.client()).orElseThrow();
        GoBinary stripped = GoBinary.open(GoPrograms.strippedClient()).orElseThrow();

        assertThat(full.hasSymbolTable()).isTrue();
        assertThat(stripped.hasSymbolTable()).isFalse();
        assertThat(stripped.elf().functionSymbols()).noneMatch(s -> s.name().startsWith("crypto/tls."));
        for (String name : List.of(GoTls.READ, GoTls.WRITE)) {
            GoBinary.Located inFull = full.function(name).orElseThrow();
            GoBinary.Located inStripped = stripped.function(name).orElseThrow();
            assertThat(inFull.table()).isEqualTo(".symtab");
            assertThat(inStripped.table()).isEqualTo(".gopclntab");
            GoPclntab.Function fromSymtab = inFull.function();
            GoPclntab.Function fromPclntab = inStripped.function();
            // The same code in both builds (but for data addresses); the symbol's size excludes the padding
            // the table's range has.
            assertThat(fromPclntab.size()).isBetween(fromSymtab.size(), fromSymtab.size() + 64);
            assertThat(X86Instructions.returns(stripped.code(fromPclntab)))
                    .isEqualTo(X86Instructions.returns(full.code(fromSymtab)));
        }
    }

    @Test
    void theVersionIsTheOneTheGoCommandReports() throws Exception {
        String goVersion = GoPrograms.run(List.of(GoPrograms.go(), "env", "GOVERSION"), Path.of("/")).trim();
        for (Path binary : List.of(GoPrograms.client(), GoPrograms.strippedClient())) {
            GoBinary go = GoBinary.open(binary).orElseThrow();
            assertThat(go.version()).isEqualTo(goVersion);
            assertThat(go.registerAbi()).contains(true);
            assertThat(go.isX86_64()).isTrue();
        }
    }

    @Test
    void aProgramThatIsNotGoIsNotTakenForOne() throws Exception {
        assertThat(GoBinary.open(Path.of("/bin/ls"))).isEmpty();
        assertThat(GoTls.inspect(Path.of("/bin/ls"))).isEmpty();
    }

    @Test
    void theTableIsFoundByItsMagicWhenTheSectionHeadersAreGone() throws Exception {
        Path stripped = GoPrograms.strippedClient();
        byte[] bytes = java.nio.file.Files.readAllBytes(stripped);
        // e_shoff, e_shnum and e_shstrndx zeroed: what sstrip-like tools leave.
        java.nio.ByteBuffer header = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        header.putLong(40, 0).putShort(60, (short) 0).putShort(62, (short) 0);
        Path noSections = stripped.resolveSibling("https_client_no_sections");
        java.nio.file.Files.write(noSections, bytes);

        GoBinary go = GoBinary.open(noSections).orElseThrow();
        GoBinary original = GoBinary.open(stripped).orElseThrow();
        assertThat(go.elf().sections()).isEmpty();
        assertThat(go.function(GoTls.READ)).isEqualTo(original.function(GoTls.READ));
        assertThat(go.version()).isEqualTo(original.version());
    }
}
