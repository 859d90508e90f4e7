package io.bpfscope.probes.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS coverage map over real processes: one that loads libssl, one with OpenSSL linked in. */
class TlsCoverageTest {
    @TempDir
    Path dir;

    /** Starts a process and waits for its first line of output: by then it has loaded what it uses. */
    private static Process startAndWait(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).as("the first line of %s", List.of(command)).isNotNull();
        return process;
    }

    private static void stop(Process process) throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    @Test
    void findsAProcessThatLoadedLibssl() throws Exception {
        Process python = startAndWait("/usr/bin/python3", "-c", "import ssl, sys; print('ready', flush=True); sys.stdin.read()");
        try {
            List<TlsCoverage.Finding> findings = TlsCoverage.scan((int) python.pid());
            assertThat(findings).hasSize(1);
            TlsCoverage.Finding libssl = findings.get(0);
            assertThat(libssl.kind()).isEqualTo("OpenSSL library");
            assertThat(libssl.comm()).startsWith("python3");
            assertThat(libssl.library()).matches(".*/libssl\\.so\\.3");
            assertThat(libssl.traceable()).isTrue();
            assertThat(libssl.why()).startsWith("covered automatically").contains("SSL_write").contains("SSL_read");
            assertThat(libssl.attachTo()).exists();
            assertThat(TlsCoverage.scan()).contains(libssl);
        } finally {
            stop(python);
        }
    }

    @Test
    void findsOpensslLinkedIntoAnExecutable() throws Exception {
        Path source = dir.resolve("static_openssl.c");
        try (InputStream c = TlsCoverageTest.class.getResourceAsStream("static_openssl.c")) {
            Files.write(source, c.readAllBytes());
        }
        Path binary = dir.resolve("static-openssl");
        Process gcc = new ProcessBuilder("gcc", "-o", binary.toString(), source.toString(),
                "-l:libssl.a", "-l:libcrypto.a", "-lpthread", "-ldl").inheritIO().start();
        assertThat(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0).as("gcc with libssl.a").isTrue();

        Process statically = startAndWait(binary.toString());
        try {
            List<TlsCoverage.Finding> findings = TlsCoverage.scan((int) statically.pid());
            assertThat(findings).hasSize(1);
            TlsCoverage.Finding linked = findings.get(0);
            assertThat(linked.kind()).isEqualTo("static OpenSSL");
            assertThat(linked.library()).isEqualTo(binary.toString());
            assertThat(linked.traceable()).isTrue();
            assertThat(linked.why()).startsWith("covered automatically").contains("SSL_write");
            assertThat(linked.attachTo()).isEqualTo(binary);
        } finally {
            stop(statically);
        }
    }

    @Test
    void aProcessWithoutTlsHasNoFinding() throws Exception {
        Process sleep = startAndWait("/bin/sh", "-c", "echo ready; exec sleep 30");
        try {
            assertThat(TlsCoverage.scan((int) sleep.pid())).isEmpty();
        } finally {
            sleep.destroy();
        }
    }

    /**
     * This test's own JVM: Java (JSSE), which the tls probe does not cover; the jsse probe does once
     * the catalog has it. A libssl it runs (none, unless native code loaded one) is said to serve native code only.
     */
    @Test
    void aJvmIsJavaJsseNotLibssl() {
        List<TlsCoverage.Finding> findings = TlsCoverage.scan((int) ProcessHandle.current().pid());
        TlsCoverage.Finding java = findings.stream().filter(f -> f.kind().equals(TlsCoverage.JAVA)).findFirst().orElseThrow();
        assertThat(java.traceable()).isFalse();
        assertThat(java.library()).endsWith("/libjvm.so");
        boolean jsseInCatalog = io.bpfscope.probes.catalog.ProbeCatalog.find("jsse").isPresent();
        assertThat(java.why()).startsWith(jsseInCatalog ? "covered by jsse" : "not covered: needs the jsse probe");
        assertThat(findings).filteredOn(f -> !f.kind().equals(TlsCoverage.JAVA))
                .allSatisfy(f -> assertThat(f.why()).contains("JSSE"));
    }

    /** A Rust program with rustls inside: named, and not covered, with why. */
    @Test
    void rustlsIsNamedAndNotCovered() throws Exception {
        Path fake = dir.resolve("rusty");
        // A real ELF whose .rodata carries a rustls crate path, as a Rust binary's panic messages do.
        Path source = dir.resolve("rusty.c");
        Files.writeString(source, "#include <stdio.h>\n#include <unistd.h>\n"
                + "const char *where = \"/root/.cargo/registry/src/index.crates.io/rustls-0.23.5/src/conn.rs\";\n"
                + "int main(void) { printf(\"ready %s\\n\", where + 200); fflush(stdout); pause(); return 0; }\n");
        Process gcc = new ProcessBuilder("gcc", "-O0", "-o", fake.toString(), source.toString()).inheritIO().start();
        assertThat(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0).isTrue();
        Process rusty = startAndWait(fake.toString());
        try {
            List<TlsCoverage.Finding> findings = TlsCoverage.scan((int) rusty.pid());
            assertThat(findings).singleElement().satisfies(f -> {
                assertThat(f.kind()).isEqualTo("rustls");
                assertThat(f.traceable()).isFalse();
                assertThat(f.why()).startsWith("not covered: rustls is Rust code");
            });
        } finally {
            rusty.destroy();
        }
    }
}
