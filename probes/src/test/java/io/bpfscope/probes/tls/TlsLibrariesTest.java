package io.bpfscope.probes.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the TLS libraries of this host: the tests' machines have OpenSSL 3 and Python. */
class TlsLibrariesTest {
    @TempDir
    Path dir;

    @Test
    void recognisesTheTlsLibrariesByName() {
        assertThat(List.of("libssl.so.3", "libssl.so.1.1", "libssl.so.1.0.2", "libgnutls.so.30", "libnspr4.so"))
                .allMatch(TlsLibraries::isTlsLibraryName);
        // The dev symlink, NSS's libssl3.so (no SSL_read) and GnuTLS's OpenSSL shim are not.
        assertThat(List.of("libssl.so", "libssl3.so", "libgnutls-openssl.so.27", "libgnutlsxx.so.30", "libcrypto.so.3"))
                .noneMatch(TlsLibraries::isTlsLibraryName);
    }

    @Test
    void findsLibsslInTheLinkerCache() {
        assertThat(TlsLibraries.installed()).anyMatch(p -> p.getFileName().toString().startsWith("libssl.so."));
        assertThat(new TlsProbe().availability().available()).isTrue();
    }

    @Test
    void listsAFileOnceHoweverManyPathsLeadToIt() throws Exception {
        Path libssl = TlsLibraries.installed().stream().filter(p -> p.getFileName().toString().startsWith("libssl.so."))
                .findFirst().orElseThrow();
        Path link = Files.createSymbolicLink(dir.resolve("libssl-link.so"), libssl);
        List<String> warnings = new ArrayList<>();

        List<TlsLibraries.Library> found = TlsLibraries.find(List.of(link, libssl, dir.resolve("missing.so")), warnings::add);

        Object key = TlsLibraries.fileKey(libssl);
        assertThat(found).filteredOn(l -> key.equals(TlsLibraries.fileKey(l.path())))
                .containsExactly(new TlsLibraries.Library(link, "--lib"));
        assertThat(warnings).containsExactly("tls: --lib " + dir.resolve("missing.so") + ": no such readable file");
    }

    @Test
    void findsTheLibrariesARunningProcessMapped() throws Exception {
        TlsFixtures.selfSigned(dir);
        try (TlsFixtures.Server server = TlsFixtures.server(dir)) {
            Path maps = Path.of("/proc", Integer.toString(server.pid()), "maps");
            String libssl = Files.readAllLines(maps).stream().filter(l -> l.contains("/libssl.so."))
                    .map(l -> l.substring(l.indexOf('/'))).findFirst().orElseThrow();

            assertThat(TlsLibraries.mappedByProcesses()).extracting(l -> l.path().toString()).contains(libssl);
        }
    }
}
