package io.bpfscope.cli;

import io.bpfscope.ui.BpfscopeApp;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bpfscope [gui] [FILE]}: the desktop window, live when we may load BPF, offline otherwise. */
@Command(name = "gui", mixinStandardHelpOptions = true, description = "Open the desktop window (the default command).")
public final class GuiCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "A capture to open, or - for stdin.")
    String file;

    @Override
    public Integer call() throws Exception {
        var user = PrivilegeSplit.invokingUser();
        if (user.isPresent()) {
            if ("-".equals(file)) {
                throw new UserError(ExitCodes.USAGE, "a capture on stdin needs no root: drop sudo (... | ./bpfscope gui -)");
            }
            // sudo ./bpfscope: the window runs as the user who ran sudo; this root process is its capture helper.
            return PrivilegeSplit.run(user.get(), file == null ? java.util.List.of() : java.util.List.of(file));
        }
        String displayProblem = DisplayCheck.problem();
        if (displayProblem != null) {
            throw new UserError(ExitCodes.USAGE, displayProblem);
        }
        try {
            // A root parent serving as our helper loads the probes: as far as the window goes, we are live.
            String offline = io.bpfscope.capture.helper.HelperConnection.inherited().isPresent() ? null
                    : ListProbesCommand.hostProblem();
            BpfscopeApp.launchWith(file, offline);
        } catch (UnsupportedOperationException | IllegalStateException e) {
            // JavaFX says "Unable to open DISPLAY", "Unable to load glass GTK library" and the like: name the fix.
            if (String.valueOf(e.getMessage()).contains("DISPLAY")) {
                throw new UserError(ExitCodes.USAGE, "cannot open the X display " + System.getenv("DISPLAY")
                        + ": is it running, and may this user draw on it? (headless: bpfscope record / export)");
            }
            throw new UserError(ExitCodes.USAGE, "JavaFX could not open a window (" + e.getMessage()
                    + "); install GTK 3 (Debian/Ubuntu: apt-get install libgtk-3-0 libgl1) or use the command line: bpfscope --help");
        }
        return ExitCodes.OK;
    }
}
