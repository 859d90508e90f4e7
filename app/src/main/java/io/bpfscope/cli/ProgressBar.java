package io.bpfscope.cli;

import io.bpfscope.bridge.sys.LibC;
import java.io.PrintStream;

/** A one-line progress bar on stderr, drawn only when stderr is a terminal and at most 10 times a second. */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final boolean enabled;
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintStream err) {
        this.err = err;
        this.enabled = LibC.INSTANCE.isatty(2) == 1;
    }

    void update(long done, long total, long events) {
        long now = System.nanoTime();
        if (!enabled || now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        drawn = true;
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, done * WIDTH / total);
            err.printf("\r[%s%s] %3d%%  %,d events", "#".repeat(filled), " ".repeat(WIDTH - filled), done * 100 / total, events);
        } else {
            err.printf("\r%,d events", events);
        }
        err.flush();
    }

    void finish() {
        if (drawn) {
            err.print("\r" + " ".repeat(WIDTH + 40) + "\r");
            err.flush();
        }
    }
}
