package io.bpfscope.probes.exit;

import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.FieldSpec;
import io.bpfscope.probes.ProbeDeclaration;
import io.bpfscope.probes.TracepointProbe;
import java.util.List;

/** The exit probe's spec: one tracepoint, one event per process that ends. */
public final class ExitProbe {
    static final ProbeDeclaration DECLARATION = ProbeDeclaration.builder()
            .field(FieldSpec.number("ppid", "the parent's pid"))
            .field(FieldSpec.number("uid", "the real uid (as in the header)"))
            .field(FieldSpec.number("exit_code", "the exit status (0-255); 0 when a signal ended it"))
            .field(FieldSpec.number("signal", "the signal that killed it, or 0"))
            .field(FieldSpec.text("signal_name", "that signal's name: SIGKILL, SIGSEGV..."))
            .field(FieldSpec.flag("core_dumped", "the process dumped core"))
            .field(FieldSpec.number("lifetime_ns", "ns", "from its start to its end"))
            .color("#6d4c41", "#f4f0ed", "#2a2522")
            .build();

    public static final Probe PROBE = new TracepointProbe("exit",
            "process ends: exit code or killing signal, core dump, lifetime, parent",
            EventKind.EXIT, new ExitDecoder(), DECLARATION, List.of(
                    new TracepointProbe.Program("exit_done", "sched", "sched_process_exit", true)));

    private ExitProbe() {
    }
}
