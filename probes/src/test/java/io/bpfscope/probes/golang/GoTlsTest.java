package io.bpfscope.probes.golang;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the tls probe hooks Go's crypto/tls in real builds of the test client, and what older Go gets. */
class GoTlsTest {
    @TempDir
    Path dir;

    @Test
    void bothBuildsAreCoveredWithTheSameHooks() throws Exception {
        GoTls.Inspection full = GoTls.inspect(GoPrograms.client()).orElseThrow();
        GoTls.Inspection stripped = GoTls.inspect(GoPrograms.strippedClient()).orElseThrow();

        assertThat(full.covered()).isTrue();
        assertThat(full.foundIn()).isEqualTo(".symtab");
        assertThat(stripped.covered()).isTrue();
        assertThat(stripped.foundIn()).isEqualTo(".gopclntab");
        assertThat(stripped.describe()).matches("Go crypto/tls \\(go1\\.\\d+.*, functions from \\.gopclntab\\): covered");
        assertThat(full.hooks()).extracting(GoTls.Hooks::function).containsExactly(GoTls.WRITE, GoTls.READ);
        for (int i = 0; i < 2; i++) {
            GoTls.Hooks a = full.hooks().get(i);
            GoTls.Hooks b = stripped.hooks().get(i);
            assertThat(a.returnOffsets()).isNotEmpty().allMatch(r -> r > a.entryOffset());
            // The same function in both: its returns sit at the same distances from its entry.
            assertThat(b.returnOffsets().stream().map(r -> r - b.entryOffset()).toList())
                    .isEqualTo(a.returnOffsets().stream().map(r -> r - a.entryOffset()).toList());
        }
    }

    @Test
    void theEntryIsTheFileOffsetOfTheSymbolAndEveryReturnIsAC3() throws Exception {
        Path client = GoPrograms.client();
        GoBinary go = GoBinary.open(client).orElseThrow();
        byte[] file = Files.readAllBytes(client);
        for (GoTls.Hooks hooks : GoTls.inspect(client).orElseThrow().hooks()) {
            assertThat(hooks.entryOffset()).isEqualTo(go.elf().uprobeOffset(hooks.function()));
            for (long ret : hooks.returnOffsets()) {
                assertThat(file[(int) ret] & 0xff).as("byte at 0x%x", ret).isEqualTo(0xc3);
            }
        }
    }

    @Test
    void aBinaryOfGoBefore117IsFoundButNotCovered() throws Exception {
        Path old = patchVersion(GoPrograms.strippedClient(), "go1.15");
        GoTls.Inspection go = GoTls.inspect(old).orElseThrow();

        assertThat(go.goVersion()).startsWith("go1.15");
        assertThat(go.covered()).isFalse();
        assertThat(go.hooks()).isEmpty();
        assertThat(go.describe()).contains("not covered: Go < 1.17 stack ABI");
    }

    /** A copy whose build info says another Go release (the same length: "go1.19" becomes "go1.15"). */
    private Path patchVersion(Path binary, String version) throws Exception {
        byte[] bytes = Files.readAllBytes(binary);
        String real = GoBinary.open(binary).orElseThrow().version();
        byte[] from = real.substring(0, version.length()).getBytes(StandardCharsets.US_ASCII);
        byte[] magic = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
        int info = indexOf(bytes, magic, 0);
        int at = indexOf(bytes, from, info);
        assertThat(info).isNotNegative();
        assertThat(at - info).as("the version inline after the build info header").isLessThan(64);
        System.arraycopy(version.getBytes(StandardCharsets.US_ASCII), 0, bytes, at, version.length());
        Path copy = dir.resolve("old_go_client");
        Files.write(copy, bytes);
        return copy;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(from, 0); i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
