package io.bpfscope.ui.common;

/**
 * The window's start as a timeline, for measuring it: with {@code -Dbpfscope.startup.trace=true}
 * (through {@code BPFSCOPE_JAVA_OPTS}) each phase prints one line on stderr, milliseconds since
 * the JVM started. Off by default: then {@link #mark} costs a field read.
 */
public final class StartupTrace {
    private static final boolean ON = Boolean.getBoolean("bpfscope.startup.trace");
    private static final long JVM_START_MILLIS = ON
            ? ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli)
                    .orElse(System.currentTimeMillis())
            : 0;

    private StartupTrace() {
    }

    public static void mark(String phase) {
        if (ON) {
            System.err.printf("startup %6d ms  %s [%s]%n", System.currentTimeMillis() - JVM_START_MILLIS, phase,
                    Thread.currentThread().getName());
        }
    }
}
