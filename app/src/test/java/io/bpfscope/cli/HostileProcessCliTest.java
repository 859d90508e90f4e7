package io.bpfscope.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text that reaches the terminal from /proc and ELF files is escaped too: a
 * real process that named itself with ESC and CSI (prctl), linked with libssl
 * so that tls-map lists it, and a symbol renamed to start with ESC [2J.
 */
class HostileProcessCliTest {
    private static final String PROGRAM = """
            #include <openssl/ssl.h>
            #include <stdio.h>
            #include <sys/prctl.h>
            int target(int x) { return x * 2; }
            int main(int argc, char **argv) {
                OPENSSL_init_ssl(0, NULL);
                prctl(PR_SET_NAME, "\\033[2J\\302\\23331m");
                printf("ready\\n");
                fflush(stdout);
                getchar();
                return target(argc);
            }
            """;

    @TempDir
    Path dir;

    @Test
    void tlsMapEscapesTheCommOfAProcess() throws Exception {
        Path program = compile();
        Process process = new ProcessBuilder(program.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            assertThat(new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8)).readLine()).isEqualTo("ready");
            String out = CommandOutput.both("tls-map");

            assertThat(out).contains(process.pid() + "  \\x1b[2J\\u009b31m");
            assertNoControls(out);
        } finally {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void symbolsEscapesSymbolNames() throws Exception {
        Path program = compile();
        Path renamed = dir.resolve("renamed");
        exec("objcopy", "--redefine-sym", "target=\u001b[2Jtarget", program.toString(), renamed.toString());

        String out = CommandOutput.both("symbols", renamed.toString(), "target");
        assertThat(out).contains("\\x1b[2Jtarget");
        assertNoControls(out);
    }

    private Path compile() throws Exception {
        Path source = dir.resolve("hostile.c");
        Files.writeString(source, PROGRAM);
        Path binary = dir.resolve("hostile");
        exec("gcc", "-O0", "-o", binary.toString(), source.toString(), "-lssl", "-lcrypto");
        return binary;
    }

    private static void exec(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0).as(String.join(" ", command) + ": " + output).isTrue();
    }

    private static void assertNoControls(String printed) {
        assertThat(printed).doesNotContain("\u001b", "\u009b");
        assertThat(printed.replace("\n", "").chars().filter(c -> c < 0x20 || c >= 0x7f && c <= 0x9f)).as(printed).isEmpty();
    }
}
