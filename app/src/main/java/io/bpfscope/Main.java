package io.bpfscope;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.cli.BenchCommand;
import io.bpfscope.cli.ExitCodes;
import io.bpfscope.cli.ExportCommand;
import io.bpfscope.cli.SqlCommand;
import io.bpfscope.cli.FollowCommand;
import io.bpfscope.cli.FunctopCommand;
import io.bpfscope.cli.GuiCommand;
import io.bpfscope.cli.HelperCommand;
import io.bpfscope.cli.InfoCommand;
import io.bpfscope.cli.ListProbesCommand;
import io.bpfscope.cli.Logging;
import io.bpfscope.cli.RecordCommand;
import io.bpfscope.cli.ShowCommand;
import io.bpfscope.cli.SymbolsCommand;
import io.bpfscope.cli.TerminalText;
import io.bpfscope.cli.TlsMapCommand;
import io.bpfscope.cli.TracepointsCommand;
import io.bpfscope.cli.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The command line: {@code bpfscope [gui] | record | show | info | export | follow | list-probes | bench}. With no command, the GUI. */
@Command(name = "bpfscope", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A desktop trace viewer for eBPF: kernel and process events, live.")
public final class Main implements Callable<Integer> {
    /** The subcommands, in the order help lists them. */
    private static final List<Class<?>> COMMANDS = List.of(GuiCommand.class, RecordCommand.class, ShowCommand.class,
            InfoCommand.class, ExportCommand.class, SqlCommand.class, FollowCommand.class,
            ListProbesCommand.class, TracepointsCommand.class, SymbolsCommand.class, FunctopCommand.class,
            TlsMapCommand.class, BenchCommand.class, HelperCommand.class, CommandLine.HelpCommand.class);

    /** Asked for only when something is logged: the first logger starts java.util.logging (see Logging.configure). */
    private static System.Logger log() {
        return System.getLogger(Main.class.getName());
    }

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Log details (libbpf, the verifier) to stderr instead of the log file.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        return new GuiCommand().call();
    }

    public static void main(String[] args) {
        io.bpfscope.ui.common.StartupTrace.mark("main");
        prepareProcess(args);
        System.exit(run(args));
    }

    /**
     * What a process does once, before its command runs: take a root parent's helper, set up logging,
     * catch dying threads. Also done by the start-up training (cli.StartupTraining), so that what it
     * loads is in the class-data archive too.
     */
    public static void prepareProcess(String... args) {
        // JNA's libraries are named by soname (libc.so.6, libbpf.so.1), which the dynamic linker finds
        // as for any program; without this JNA's first use ran `ldconfig -p` twice to list the system's
        // library directories: two processes in each start of a command that loads libbpf.
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", "");
        }
        io.bpfscope.capture.helper.HelperConnection.inheritFromStdioIfAsked(); // before anything prints
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        Logging.configure(verbose);
        // A thread that dies of anything (a reader thread, a worker) is logged, not printed as a stack trace.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) ->
                log().log(Level.ERROR, "thread " + thread.getName() + " died", e));
    }

    /** Runs a command line and returns the exit code (tests call this). */
    public static int run(String... args) {
        // picocli looks for Groovy's Closure class when it starts: a class on no path of ours, so the
        // look-up opened every jar of the class path (a tenth of a short command's start; with the
        // class-data archive no other class needs them opened).
        System.setProperty("picocli.disable.closures", "true");
        // Nor does any option of ours take a java.time or java.sql type through picocli's own converters
        // (durations have ours, Units.DurationConverter); registering them initialised those classes
        // (MonthDay, YearMonth... build their parsers) in each start.
        System.setProperty("picocli.converters.excludes", "java\\.time\\..*,java\\.sql\\..*");
        args = impliedGui(args);
        CommandLine cli = new CommandLine(new Main());
        for (Class<?> command : commandsFor(args)) {
            cli.addSubcommand(command);
        }
        cli.setExecutionExceptionHandler(Failures.HANDLER);
        cli.setParameterExceptionHandler(Failures.HANDLER);
        try {
            return cli.execute(args);
        } catch (Throwable e) {
            // picocli hands us Exceptions only: an Error (OutOfMemoryError, StackOverflowError) lands here.
            return lastResort(e, cli.getErr());
        }
    }

    /**
     * {@code bpfscope FILE...} opens the window on those captures, as {@code wireshark FILE} does: arguments
     * whose first word is a capture (a file that exists, a .bscap name, - or ssh://) get {@code gui} before them.
     * A mistyped command stays an error.
     */
    static String[] impliedGui(String... args) {
        String first = java.util.Arrays.stream(args).filter(a -> !a.startsWith("-") || a.equals("-")).findFirst().orElse(null);
        boolean capture = first != null && (first.equals("-") || first.endsWith(".bscap") || first.startsWith("ssh://")
                || java.nio.file.Files.isRegularFile(java.nio.file.Path.of(first)));
        if (!capture || COMMANDS.stream().anyMatch(c -> c.getAnnotation(Command.class).name().equals(first))) {
            return args;
        }
        String[] withGui = new String[args.length + 1];
        withGui[0] = "gui";
        System.arraycopy(args, 0, withGui, 1, args.length);
        return withGui;
    }

    /**
     * The subcommands picocli must know for these arguments: the one they name, or, when they name
     * none (help, a file, a mistake), all of them. Picocli reads every option of every command it is
     * given, which took a quarter of a second of each start (docs/benchmarks.md, start-up).
     */
    static List<Class<?>> commandsFor(String... args) {
        String first = java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
        for (Class<?> command : COMMANDS) {
            Command named = command.getAnnotation(Command.class);
            if (named.name().equals(first) && command != CommandLine.HelpCommand.class) {
                return List.of(command);
            }
        }
        return COMMANDS;
    }

    /**
     * The last resort for what nothing else caught: one line and exit 70, the details in
     * the log. Written so that it still works after an OutOfMemoryError (the memory the
     * failed allocation wanted is free again by now; if even the log fails, the line stands).
     */
    static int lastResort(Throwable e, PrintWriter err) {
        try {
            log().log(Level.ERROR, "internal error", e);
        } catch (Throwable logFailed) {
            // nothing more to do: the user still gets the line below
        }
        String what = e instanceof OutOfMemoryError ? "out of memory (" + e.getMessage() + ")"
                : e instanceof StackOverflowError ? "stack overflow" : String.valueOf(e);
        err.println("bpfscope: internal error: " + what + " (" + Logging.detailsHint() + ")");
        err.flush();
        return ExitCodes.INTERNAL;
    }

    /**
     * Failures as picocli hands them over. A class, not two lambdas: a lambda's class is spun when it
     * is first made, and picocli's interfaces (Java 5 bytecode) cannot be archived once linked for one,
     * so each start opened picocli's jar for them (docs/benchmarks.md, start-up).
     */
    private static final class Failures implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
        static final Failures HANDLER = new Failures();

        @Override
        public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
            return report(e, cli);
        }

        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("bpfscope: " + e.getMessage());
            err.println("Try: bpfscope " + (e.getCommandLine().getCommandName().equals("bpfscope") ? "" : e.getCommandLine().getCommandName() + " ") + "--help");
            return ExitCodes.USAGE;
        }
    }

    /** Every failure becomes one line for the user; the stack trace goes to the log. */
    private static int report(Exception e, CommandLine cli) {
        PrintWriter err = cli.getErr();
        int code;
        String message;
        if (e instanceof UserError) {
            code = ((UserError) e).exitCode();
            message = e.getMessage();
        } else if (e instanceof BpfException) {
            code = ExitCodes.PROBES;
            message = e.getMessage();
            log().log(Level.WARNING, e.getMessage() + "\n" + ((BpfException) e).details());
        } else if (e instanceof NoSuchFileException) {
            code = ExitCodes.INPUT;
            message = ((NoSuchFileException) e).getFile() + ": no such file";
        } else if (e instanceof AccessDeniedException) {
            code = ExitCodes.INPUT;
            message = ((AccessDeniedException) e).getFile() + ": permission denied";
        } else if (e instanceof FileSystemException || e instanceof IOException) {
            code = ExitCodes.INPUT;
            message = e.getMessage();
        } else {
            return lastResort(e, err);
        }
        err.println("bpfscope: " + TerminalText.escape(message)); // messages may quote a capture, a path, a symbol
        err.flush();
        if (Logging.configured()) { // else the JDK's console handler would print it on stderr
            log().log(Level.INFO, "exit " + code + ": " + message); // a failure is worth a line in the log too
        }
        return code;
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"bpfscope " + io.bpfscope.capture.live.HostInfo.bpfscopeVersion()};
        }
    }
}
