package io.bpfscope;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.cli.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What nothing else caught, Errors included, is one line and exit 70; the details go to the log. */
class MainLastResortTest {
    private static String lastResort(Throwable e, int[] exit) {
        StringWriter text = new StringWriter();
        exit[0] = Main.lastResort(e, new PrintWriter(text));
        return text.toString();
    }

    @Test
    void anOutOfMemoryErrorIsOneLineAndExit70() {
        int[] exit = new int[1];
        String err = lastResort(new OutOfMemoryError("Java heap space"), exit);
        assertThat(exit[0]).isEqualTo(ExitCodes.INTERNAL);
        assertThat(err).startsWith("bpfscope: internal error: out of memory (Java heap space) (" + io.bpfscope.cli.Logging.detailsHint())
                .hasLineCount(1).doesNotContain("\tat ");
    }

    @Test
    void aStackOverflowAndAnyExceptionAreOneLineToo() {
        int[] exit = new int[1];
        assertThat(lastResort(new StackOverflowError(), exit)).startsWith("bpfscope: internal error: stack overflow")
                .hasLineCount(1);
        assertThat(lastResort(new IllegalStateException("bug"), exit))
                .startsWith("bpfscope: internal error: java.lang.IllegalStateException: bug").hasLineCount(1);
        assertThat(exit[0]).isEqualTo(ExitCodes.INTERNAL);
    }

    @Test
    void picocliLetsErrorsOutOfExecuteSoMainRunCatchesThem() {
        // Main.run's catch around execute(), with a command that throws an Error: picocli's
        // execution exception handler sees Exceptions only, so without the catch this escapes.
        StringWriter text = new StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new Thrower());
        cli.setErr(new PrintWriter(text));
        int exit;
        try {
            exit = cli.execute();
        } catch (Throwable e) {
            exit = Main.lastResort(e, cli.getErr());
        }
        assertThat(exit).isEqualTo(ExitCodes.INTERNAL);
        assertThat(text.toString()).startsWith("bpfscope: internal error: stack overflow").hasLineCount(1);
    }

    @picocli.CommandLine.Command(name = "thrower")
    static final class Thrower implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw new StackOverflowError();
        }
    }
}
