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
        String displayProblem = DisplayCheck.problem();
        if (displayProblem != null) {
            throw new UserError(ExitCodes.USAGE, displayProblem);
        }
        BpfscopeApp.launchWith(file, ListProbesCommand.hostProblem());
        return ExitCodes.OK;
    }
}
