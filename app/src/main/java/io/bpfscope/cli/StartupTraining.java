package io.bpfscope.cli;

import io.bpfscope.Main;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The training run behind the launcher's class-data sharing archive: run under
 * {@code -XX:ArchiveClassesAtExit}, it goes through what a command-line start loads
 * ({@code info}, {@code show}, {@code list-probes} on a capture) so the next starts map
 * those classes from the archive instead of loading and verifying them one by one.
 * (The window's archive is trained by {@code gui CAPTURE} itself, quitting once shown.)
 * Not a command: the launcher runs this class directly.
 */
public final class StartupTraining {
    private StartupTraining() {
    }

    /** {@code StartupTraining CAPTURE}: its output is thrown away, its exit code is 0 if every command ran. */
    public static void main(String[] args) {
        String capture = args[0];
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        int failed = 0;
        Main.prepareProcess();
        try {
            for (String[] command : new String[][] {{"info", capture}, {"show", "--limit", "20", capture}, {"list-probes"}}) {
                failed += Main.run(command) == ExitCodes.OK ? 0 : 1;
            }
        } finally {
            System.setOut(out);
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
