package io.bpfscope.ui.common;

/**
 * The window's start as a timeline, for measuring it: with {@code -Dbpfscope.startup.trace=true}
 * (through {@code BPFSCOPE_JAVA_OPTS}) each phase prints one line on stderr, milliseconds since
 * the JVM started and the process's CPU time so far. Off by default: then {@link #mark} costs a field read.
 */
public final class StartupTrace {
    private static final boolean ON = Boolean.getBoolean("bpfscope.startup.trace");
    // The JVM's own record of its start: ProcessHandle's start instant is counted from the boot time
    // in whole seconds (/proc/stat's btime), so it could be up to a second off.
    private static final long JVM_START_MILLIS = ON
            ? java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()
            : 0;

    private StartupTrace() {
    }

    public static void mark(String phase) {
        if (ON) {
            System.err.printf("startup %6d ms  cpu %6d ms  %s [%s]%n", System.currentTimeMillis() - JVM_START_MILLIS,
                    processCpuMillis(), phase, Thread.currentThread().getName());
        }
    }

    /**
     * The CPU time of every thread of this process so far (/proc/self/stat's utime and stime, in
     * 10 ms ticks): unlike the wall clock, a busy machine does not inflate it. -1 when unreadable.
     */
    private static long processCpuMillis() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10; // utime, stime (fields 14, 15)
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }
}
