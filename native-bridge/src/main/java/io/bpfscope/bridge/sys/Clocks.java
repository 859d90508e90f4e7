package io.bpfscope.bridge.sys;

import com.sun.jna.Native;

/** Kernel clocks, read through libc. Thread-safe. */
public final class Clocks {
    private Clocks() {
    }

    /** CLOCK_BOOTTIME in nanoseconds: the clock BPF's bpf_ktime_get_boot_ns() reads. */
    public static long bootTimeNanos() {
        return read(LibC.CLOCK_BOOTTIME);
    }

    /**
     * Wall-clock time minus boot time, in nanoseconds: add it to an event's
     * boot-time stamp to get its wall-clock time. Read as the tightest of a few
     * samples, so a preemption between the two clock reads does not skew it.
     */
    public static long bootToWallOffsetNanos() {
        long best = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 5; i++) {
            long before = read(LibC.CLOCK_BOOTTIME);
            long wall = read(LibC.CLOCK_REALTIME);
            long after = read(LibC.CLOCK_BOOTTIME);
            if (after - before < best) {
                best = after - before;
                offset = wall - (before + (after - before) / 2);
            }
        }
        return offset;
    }

    private static long read(int clock) {
        LibC.Timespec ts = new LibC.Timespec();
        if (LibC.INSTANCE.clock_gettime(clock, ts) != 0) {
            throw new IllegalStateException("clock_gettime(" + clock + ") failed: " + Errno.name(Native.getLastError()));
        }
        return ts.nanos();
    }
}
