package io.bpfscope.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Developer logs: to ~/.cache/bpfscope/bpfscope.log, or to stderr with
 * --verbose. Users see one-line messages; stack traces go only here.
 */
public final class Logging {
    private Logging() {
    }

    public static Path logFile() {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isEmpty() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("bpfscope").resolve("bpfscope.log");
    }

    public static void configure(boolean verbose) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler handler;
        if (verbose) {
            handler = new ConsoleHandler();
            handler.setLevel(Level.FINE);
            root.setLevel(Level.FINE);
        } else {
            try {
                Path file = logFile();
                Files.createDirectories(file.getParent());
                handler = new FileHandler(file.toString(), 4 << 20, 2, true);
                handler.setLevel(Level.INFO);
                root.setLevel(Level.INFO);
            } catch (IOException | SecurityException e) {
                return; // no log file: stay quiet rather than fail the command
            }
        }
        handler.setFormatter(new SimpleFormatter());
        root.addHandler(handler);
    }
}
