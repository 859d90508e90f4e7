package io.bpfscope.cli;

import io.bpfscope.io.InvokingUser;
import io.bpfscope.io.PrivateFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.StreamHandler;

/**
 * Developer logs: to {@code bpfscope.log} in the invoking user's cache
 * directory ({@code $XDG_CACHE_HOME/bpfscope}, else {@code ~/.cache/bpfscope};
 * under sudo the user's home, not root's), 0600 and theirs, or to stderr with
 * --verbose. Users see one-line messages; stack traces go only here. A log
 * that cannot be opened safely is not written: the command still runs.
 */
public final class Logging {
    /** Past this the log is renamed to bpfscope.log.1 and a new one begun. */
    private static final long ROTATE_ABOVE = 4 << 20;

    private static volatile boolean toFile;
    private static volatile boolean verbose;

    /** The system property that names the log file once one is written (read by the window's About). */
    public static final String LOG_FILE_PROPERTY = "bpfscope.logFile";

    private Logging() {
    }

    /** The log file, exactly as it is named on disk. */
    public static Path logFile() {
        InvokingUser user = InvokingUser.current();
        String cache = System.getenv("XDG_CACHE_HOME");
        Path home = user.home() != null ? user.home() : Path.of(System.getProperty("user.home"));
        Path base = cache != null && cache.startsWith("/") ? Path.of(cache) : home.resolve(".cache");
        return base.resolve("bpfscope").resolve("bpfscope.log");
    }

    /** Where details are, for a message: the log file, or --verbose when there is no log. */
    public static String detailsHint() {
        return toFile ? "details in " + logFile() : "run again with --verbose for details";
    }

    private static volatile boolean configured;

    /** Whether {@link #configure} ran: Main.run called on its own (tests) leaves the JDK's console logging alone. */
    public static boolean configured() {
        return configured;
    }

    /**
     * Sets where logs go. Nothing of java.util.logging starts here: it starts when code first asks for a
     * logger, and then reads its configuration from {@link Config}. A command that logs nothing (most
     * {@code info} and {@code show} runs) never pays for it: its start, the logging service's lookup on the
     * class path and the formatter's check of its format took a sixth of such a command's start
     * (docs/benchmarks.md, start-up). So call this before anything asks for a logger.
     */
    public static void configure(boolean verbose) {
        configured = true;
        Logging.verbose = verbose;
        toFile = !verbose;
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        // First: finding the log file may load JNA (the sudo user's home), whose loggers start java.util.logging.
        System.setProperty("java.util.logging.config.class", Config.class.getName());
        if (!verbose) {
            System.setProperty(LOG_FILE_PROPERTY, logFile().toString()); // Help > About says where it is
        }
    }

    /**
     * The configuration java.util.logging reads when it starts (named by the system property
     * {@code java.util.logging.config.class}, which asks for a public class made with no arguments):
     * --verbose logs FINE and up to stderr, otherwise INFO and up go to the log file.
     */
    public static final class Config {
        public Config() throws IOException {
            String handler = verbose ? java.util.logging.ConsoleHandler.class.getName() : FlushingHandler.class.getName();
            String level = verbose ? "FINE" : "INFO";
            String properties = "handlers=" + handler + "\n.level=" + level + "\n" + handler + ".level=" + level + "\n";
            LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(properties.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /**
     * Each record reaches the file at once: the log matters most just before a crash. The file is
     * opened with the first record, so that a start which logs nothing spends nothing on it
     * (docs/benchmarks.md, start-up). Public, as java.util.logging makes it by its name.
     */
    public static final class FlushingHandler extends StreamHandler {
        private final Path file = logFile();
        private boolean opened;

        @Override
        public synchronized void publish(LogRecord record) {
            if (!opened) {
                opened = true;
                try {
                    setOutputStream(PrivateFiles.openLog(file, ROTATE_ABOVE));
                } catch (IOException | RuntimeException | LinkageError e) {
                    toFile = false; // no safe log file (or no libc through JNA): stay quiet rather than fail the command
                    System.clearProperty(LOG_FILE_PROPERTY);
                    return;
                }
            }
            if (toFile) {
                super.publish(record);
                flush();
            }
        }
    }
}
