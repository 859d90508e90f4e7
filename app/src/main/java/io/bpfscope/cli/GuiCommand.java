package io.bpfscope.cli;

import io.bpfscope.capture.live.RemoteCommand;
import io.bpfscope.ui.BpfscopeApp;
import io.bpfscope.ui.sources.SourcesViewModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bpfscope [gui] [FILE]}: the desktop window, live when we may load BPF, offline otherwise. */
@Command(name = "gui", mixinStandardHelpOptions = true, description = "Open the desktop window (the default command); several sources are shown merged.")
public final class GuiCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "SOURCE", description = "What to show: a capture FILE, - for stdin, or"
            + " ssh://USER@HOST[:PORT] to record on that host over ssh (as you) and stream it here; several are"
            + " shown merged, each event with its host.")
    List<String> sources = new ArrayList<>();

    @Option(names = {"-p", "--probe"}, paramLabel = "PROBE", description = "What remote hosts record (record -p there);"
            + " repeat for more. Default: exec.")
    List<String> probes = new ArrayList<>();

    @Option(names = "--ssh-option", paramLabel = "KEY=VALUE", description = "An ssh -o option for remote hosts,"
            + " e.g. IdentityFile=/home/me/.ssh/lab; repeat for more.")
    List<String> sshOptions = new ArrayList<>();

    @Option(names = "--remote-bpfscope", paramLabel = "PATH", description = "The bpfscope launcher on remote hosts"
            + " (default: bpfscope, on their PATH).")
    String remoteBpfscope = "bpfscope";

    @Override
    public Integer call() throws Exception {
        io.bpfscope.ui.common.StartupTrace.mark("gui command");
        SourcesViewModel.RemoteDefaults remote = remoteDefaults();
        var user = PrivilegeSplit.invokingUser();
        if (user.isPresent()) {
            if (sources.contains("-")) {
                throw new UserError(ExitCodes.USAGE, "a capture on stdin needs no root: drop sudo (... | ./bpfscope gui -)");
            }
            // sudo ./bpfscope: the window runs as the user who ran sudo (so does its ssh); this root process
            // is its capture helper.
            return PrivilegeSplit.run(user.get(), windowArguments());
        }
        io.bpfscope.ui.common.StartupTrace.mark("privileges checked");
        String displayProblem = DisplayCheck.problem();
        if (displayProblem != null) {
            throw new UserError(ExitCodes.USAGE, displayProblem);
        }
        try {
            // A root parent serving as our helper loads the probes: as far as the window goes, we are live.
            // Found out (libbpf loaded, tracefs looked for) while JavaFX starts, not before it.
            java.util.concurrent.CompletableFuture<String> offline =
                    io.bpfscope.capture.helper.HelperConnection.inherited().isPresent()
                    ? java.util.concurrent.CompletableFuture.completedFuture(null)
                    : java.util.concurrent.CompletableFuture.supplyAsync(GuiCommand::hostProblem);
            io.bpfscope.ui.common.StartupTrace.mark("launching JavaFX");
            BpfscopeApp.launchWith(sources, remote, offline::join);
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

    private static String hostProblem() {
        try {
            String problem = ListProbesCommand.hostProblem();
            io.bpfscope.ui.common.StartupTrace.mark("BPF checked");
            return problem;
        } catch (RuntimeException | LinkageError e) {
            return "BPF cannot load here: " + e.getMessage(); // the window still shows captures
        }
    }

    /** The remote hosts' settings, every remote source checked now: a mistake is a usage error before any window. */
    private SourcesViewModel.RemoteDefaults remoteDefaults() throws UserError {
        List<String> recorded = probes.isEmpty() ? List.of("exec") : probes;
        try {
            for (String source : sources) {
                if (SourcesViewModel.isRemote(source)) {
                    RemoteCommand.parse(source, recorded, sshOptions, remoteBpfscope);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        return new SourcesViewModel.RemoteDefaults(recorded, sshOptions, remoteBpfscope);
    }

    /** This command line again, for the window that runs as the user (checked already). */
    private List<String> windowArguments() {
        List<String> arguments = new ArrayList<>();
        probes.forEach(p -> arguments.addAll(List.of("--probe", p)));
        sshOptions.forEach(o -> arguments.addAll(List.of("--ssh-option", o)));
        arguments.addAll(List.of("--remote-bpfscope", remoteBpfscope, "--"));
        arguments.addAll(sources);
        return arguments;
    }
}
