package io.bpfscope.probes.signal;

import io.bpfscope.probes.FieldSpec;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeDeclaration;
import io.bpfscope.probes.TracepointProbe;
import java.util.List;

/** The signal probe (killsnoop): who sent which signal to whom, and what became of it. One tracepoint. */
public final class SignalProbe {
    /** Its event kind: signal.h's {@code EVENT_SIGNAL}, kept with the probe. */
    static final int KIND = 10;

    static final ProbeDeclaration DECLARATION = ProbeDeclaration.builder()
            .field(FieldSpec.number("signo", "the signal's number: 9, 15, 10..."))
            .field(FieldSpec.text("signal", "its name: SIGKILL, SIGTERM, SIGUSR1, SIGRTMIN+2..."))
            .field(FieldSpec.number("target_pid", "the task it was sent to (its thread id; the process's for kill)"))
            .field(FieldSpec.text("target_comm", "that task's name"))
            .field(FieldSpec.number("code", "si_code: 0 kill, -6 tkill, -1 sigqueue, 128 the kernel, > 0 a fault"))
            .field(FieldSpec.text("origin", "si_code in words: kill, tkill, sigqueue, timer, kernel, fault, child, io..."))
            .field(FieldSpec.flag("group", "sent to the whole process (kill), not one thread (tgkill)"))
            .field(FieldSpec.text("result", "delivered, ignored, already_pending, overflow_fail or lose_info"))
            .color("#9e9d24", "#f7f7e8", "#2b2b1e")
            .build();

    public static final Probe PROBE = new TracepointProbe("signal",
            "signals: who sent which signal to whom (kill, tgkill, the kernel) and whether it was delivered",
            KIND, new SignalDecoder(), DECLARATION, List.of(
                    new TracepointProbe.Program("signal_generate", "signal", "signal_generate", true)));

    private SignalProbe() {
    }
}
