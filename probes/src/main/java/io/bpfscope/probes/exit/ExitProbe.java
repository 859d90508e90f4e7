package io.bpfscope.probes.exit;

import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeCatalog;
import io.bpfscope.probes.TracepointProbe;
import java.util.List;

/** The exit probe's spec: one tracepoint, one event per process that ends. */
public final class ExitProbe {
    public static final Probe PROBE = new TracepointProbe("exit",
            "process ends: exit code or killing signal, core dump, lifetime, parent",
            ProbeCatalog.EVENT_EXIT, new ExitDecoder(), List.of(
                    new TracepointProbe.Program("exit_done", "sched", "sched_process_exit", true)));

    private ExitProbe() {
    }
}
