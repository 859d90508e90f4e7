package io.bpfscope.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.bpfscope.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** Runs a command line in-process and returns what it printed on stdout and stderr together, as UTF-8. */
final class CommandOutput {
    private CommandOutput() {
    }

    static String both(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream both = new PrintStream(bytes, true, UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            Main.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return bytes.toString(UTF_8);
    }
}
