package io.bpfscope.cli;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.probes.DurationText;
import io.bpfscope.probes.SelfFilter;
import io.bpfscope.probes.functop.FunctionStats;
import io.bpfscope.probes.functop.FunctionTargets;
import io.bpfscope.probes.functop.Functop;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code bpfscope functop (--pid N | --lib PATH) --match REGEX}: a uprobe and a
 * uretprobe on every matching function, latency summed in the kernel, a
 * table printed every interval. Everything is detached on exit.
 */
@Command(name = "functop", mixinStandardHelpOptions = true,
        description = "Function latency, live: count, total, average, min, max and p99 per function matching a "
                + "regular expression, in a process or a library. Aggregated in the kernel.")
public final class FunctopCommand implements Callable<Integer> {
    @Option(names = "--pid", paramLabel = "PID", description = "The functions of this process's executable and libraries, called by it.")
    Integer pid;

    @Option(names = "--lib", paramLabel = "PATH", description = "The functions of this binary or library, called by any process.")
    Path lib;

    @Option(names = "--match", required = true, paramLabel = "REGEX",
            description = "Function names this regular expression finds, e.g. '^SSL_' (see: bpfscope symbols PATH).")
    String match;

    @Option(names = "--interval", paramLabel = "TIME", converter = Units.DurationConverter.class,
            description = "How often the table is printed (default 1s).")
    Duration interval = Duration.ofSeconds(1);

    @Option(names = "--duration", paramLabel = "TIME", converter = Units.DurationConverter.class,
            description = "Stop after this long; else Ctrl-C, SIGTERM or the process's exit stops.")
    Duration duration;

    @Option(names = "--include-self", description = "Count the calls bpfscope itself makes too (this command and"
            + " the processes it starts), which are left out by default.")
    boolean includeSelf;

    @Option(names = "--top", paramLabel = "N", description = "Rows shown, busiest (by total time) first (default 20).")
    int top = 20;

    @Option(names = "--max-functions", paramLabel = "N",
            description = "Refuse to attach to more functions than this (default 500, at most 1024): each costs two probes.")
    int maxFunctions = Functop.DEFAULT_LIMIT;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        Pattern pattern = Patterns.compile("--match", match, 0);
        List<FunctionTargets.Target> targets = targets(pattern);
        String hostProblem = ListProbesCommand.hostProblem();
        if (hostProblem != null) {
            throw new UserError(ExitCodes.PROBES, hostProblem);
        }
        for (String signal : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(signal), s -> stop.countDown());
            } catch (IllegalArgumentException e) {
                // reserved by the JVM: closing on exit still detaches
            }
        }
        PrintStream out = System.out;
        // Its own calls (a JVM calls libc too) are left out in the kernel, unless --include-self.
        try (SelfFilter self = includeSelf ? null : SelfFilter.startOrWarn(List.of(ProcessHandle.current().pid()),
                w -> System.err.println("bpfscope: " + TerminalText.escape(w)));
             Functop functop = Functop.attach(targets, pid == null ? 0 : pid, self,
                     w -> System.err.println("bpfscope: " + TerminalText.escape(w)))) {
            System.err.println("bpfscope: functop on " + functop.targets().size() + " functions of "
                    + (pid != null ? "process " + pid : lib) + "; Ctrl-C stops");
            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            boolean terminal = System.console() != null;
            while (true) {
                long wait = Math.min(interval.toNanos(), Math.max(0, deadline - System.nanoTime()));
                boolean last = stop.await(wait, TimeUnit.NANOSECONDS) || System.nanoTime() >= deadline || !alive();
                print(out, functop.read(), terminal && !last);
                if (last || out.checkError()) {
                    break;
                }
            }
        }
        return ExitCodes.OK;
    }

    private List<FunctionTargets.Target> targets(Pattern pattern) throws UserError {
        if ((pid == null) == (lib == null)) {
            throw new UserError(ExitCodes.USAGE, "give one of --pid N (a process) or --lib PATH (a binary or library)");
        }
        if (maxFunctions < 1 || maxFunctions > Functop.MAX_FUNCTIONS) {
            throw new UserError(ExitCodes.USAGE, "--max-functions must be 1 to " + Functop.MAX_FUNCTIONS + ", not " + maxFunctions);
        }
        List<FunctionTargets.Target> targets;
        try {
            if (pid != null) {
                targets = FunctionTargets.inProcess(pid, pattern, w -> System.err.println("bpfscope: " + TerminalText.escape(w)));
            } else {
                if (!Files.isRegularFile(lib)) {
                    throw new UserError(ExitCodes.INPUT, "--lib " + lib + ": no such file");
                }
                targets = FunctionTargets.inFile(lib, pattern, w -> System.err.println("bpfscope: " + TerminalText.escape(w)));
            }
        } catch (IOException e) {
            throw new UserError(ExitCodes.INPUT, e.getMessage());
        }
        if (targets.isEmpty()) {
            throw new UserError(ExitCodes.INPUT, "no function matches '" + match + "' in "
                    + (pid != null ? "process " + pid : lib) + "; see the names with: bpfscope symbols "
                    + (lib != null ? lib : "/proc/" + pid + "/exe"));
        }
        if (targets.size() > maxFunctions) {
            throw new UserError(ExitCodes.USAGE, targets.size() + " functions match '" + match + "': narrow --match, "
                    + "or raise --max-functions (now " + maxFunctions + ", at most " + Functop.MAX_FUNCTIONS + ")");
        }
        return targets;
    }

    private boolean alive() {
        return pid == null || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The busiest functions; on a terminal the screen is redrawn, else each table follows the last. */
    private void print(PrintStream out, Map<FunctionTargets.Target, FunctionStats> stats, boolean redraw) {
        if (redraw) {
            out.print("\033[H\033[2J");
        }
        List<Map.Entry<FunctionTargets.Target, FunctionStats>> called = stats.entrySet().stream()
                .filter(e -> e.getValue().count() > 0)
                .sorted(Comparator.comparingLong((Map.Entry<FunctionTargets.Target, FunctionStats> e) -> e.getValue().totalNs())
                        .reversed())
                .toList();
        out.printf("%s  %d of %d functions called%n", LocalTime.now().truncatedTo(ChronoUnit.SECONDS), called.size(), stats.size());
        out.printf("%-40s %10s %12s %12s %12s %12s %12s%n", "FUNCTION", "COUNT", "TOTAL", "AVG", "MIN", "MAX", "P99~");
        for (Map.Entry<FunctionTargets.Target, FunctionStats> e : called.subList(0, Math.min(top, called.size()))) {
            FunctionStats s = e.getValue();
            out.printf("%-40s %10d %12s %12s %12s %12s %12s%n", TerminalText.escape(e.getKey().shortName()), s.count(),
                    DurationText.of(s.totalNs()), DurationText.of(s.averageNs()), DurationText.of(s.minNs()),
                    DurationText.of(s.maxNs()), DurationText.of(s.quantileNs(0.99)));
        }
        out.println();
        out.flush();
    }
}
