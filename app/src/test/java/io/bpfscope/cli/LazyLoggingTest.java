package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.io.BpfscopeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * java.util.logging starts only when something is logged (docs/benchmarks.md, the command line's start):
 * a command that logs nothing never loads it, and one that does still logs where it should. Judged by
 * the classes the JVM loaded ({@code -Xlog:class+load}), not by a time.
 */
class LazyLoggingTest {
    @TempDir
    Path dir;

    private final String demo = Path.of(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap").toString();

    @Test
    void aCommandThatLogsNothingNeverStartsJavaUtilLogging() throws Exception {
        Path loaded = dir.resolve("classes.txt");
        BpfscopeProcess.Result result = BpfscopeProcess.run(Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + loaded,
                "XDG_CACHE_HOME", dir.toString()), "info", demo);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(Files.readString(loaded)).contains("io.bpfscope.cli.InfoCommand ")
                .doesNotContain("java.util.logging.LogManager ");
        assertThat(dir.resolve("bpfscope")).doesNotExist(); // no log file either
    }

    @Test
    void aFailureStillReachesTheLogFile() throws Exception {
        BpfscopeProcess.Result result = BpfscopeProcess.run(Map.of("XDG_CACHE_HOME", dir.toString()),
                "info", dir.resolve("missing.bscap").toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(result.stderr()).contains("missing.bscap: no such file").doesNotContain("INFO");
        assertThat(Files.readString(dir.resolve("bpfscope/bpfscope.log"))).contains("INFO io.bpfscope.Main: exit 1: ");
    }

    @Test
    void verboseLogsToStderrInstead() throws Exception {
        BpfscopeProcess.Result result = BpfscopeProcess.run(Map.of("XDG_CACHE_HOME", dir.toString()),
                "--verbose", "info", dir.resolve("missing.bscap").toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(result.stderr()).contains("INFO io.bpfscope.Main: exit 1: ");
        assertThat(dir.resolve("bpfscope")).doesNotExist();
    }
}
