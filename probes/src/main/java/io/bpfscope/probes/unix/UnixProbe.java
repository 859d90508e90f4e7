package io.bpfscope.probes.unix;

import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeCatalog;
import io.bpfscope.probes.TracepointProbe;
import java.util.ArrayList;
import java.util.List;

/** The unix probe's spec: enter and exit tracepoints of every syscall that moves socket data. */
public final class UnixProbe {
    /** Syscalls traced; the mmsg pair is optional (a kernel without it still has the rest). */
    private static final List<String> REQUIRED = List.of("write", "read", "sendto", "recvfrom", "sendmsg", "recvmsg",
            "writev", "readv");
    private static final List<String> OPTIONAL = List.of("sendmmsg", "recvmmsg");

    public static final Probe PROBE = new TracepointProbe("unix",
            "unix-domain socket data, both directions, every send/recv/read/write syscall, up to 32 KiB per call",
            ProbeCatalog.EVENT_UNIX, new UnixDecoder(), programs());

    private UnixProbe() {
    }

    private static List<TracepointProbe.Program> programs() {
        List<TracepointProbe.Program> programs = new ArrayList<>();
        for (String call : REQUIRED) {
            add(programs, call, true);
        }
        for (String call : OPTIONAL) {
            add(programs, call, false);
        }
        return programs;
    }

    private static void add(List<TracepointProbe.Program> programs, String call, boolean required) {
        programs.add(new TracepointProbe.Program("unix_" + call + "_enter", "syscalls", "sys_enter_" + call, required));
        programs.add(new TracepointProbe.Program("unix_" + call + "_exit", "syscalls", "sys_exit_" + call, required));
    }
}
