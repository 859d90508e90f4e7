package io.bpfscope.probes.signal;

import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.exit.ExitEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A signal was generated: the header's process sent it (or the kernel did, in its context: a
 * fault, a child's exit) to {@code targetPid}; {@code result} says whether it was delivered.
 */
public record SignalEvent(EventHeader header, int signo, int code, int result, int targetPid, boolean group,
                          int errno, String targetComm) implements DecodedEvent {
    private static final int SIGCHLD = 17;
    private static final int SIGIO = 29;
    private static final String[] RESULTS = {"delivered", "ignored", "already_pending", "overflow_fail", "lose_info"};

    /** {@code SIGKILL}, {@code SIGRTMIN+2}... (x86_64 numbering). */
    public String signalName() {
        return ExitEvent.signalName(signo);
    }

    /** What became of it: {@code delivered}, {@code ignored}, {@code already_pending}... */
    public String resultName() {
        return result >= 0 && result < RESULTS.length ? RESULTS[result] : "result " + result;
    }

    /** Who the signal came from, as si_code says: a process (kill), a thread (tgkill), the kernel... */
    public String origin() {
        return switch (code) {
            case 0 -> "kill";
            case 0x80 -> "kernel";
            case -1 -> "sigqueue";
            case -2 -> "timer";
            case -3 -> "mesgq";
            case -4 -> "async io";
            case -5 -> "sigio";
            case -6 -> "tkill";
            // Above 0 the code belongs to the signal: a child's state change, an I/O event, or a fault.
            default -> code < 0 ? "code " + code : signo == SIGCHLD ? "child" : signo == SIGIO ? "io" : "fault";
        };
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("signo", signo);
        fields.put("signal", signalName());
        fields.put("target_pid", targetPid);
        fields.put("target_comm", targetComm);
        fields.put("code", code);
        fields.put("origin", origin());
        fields.put("group", group);
        fields.put("result", resultName());
        return fields;
    }

    @Override
    public String summary() {
        return signalName() + " → " + targetComm + " [" + targetPid + "]" + (result != 0 ? " (" + resultName() + ")" : "")
                + (code != 0 ? " from " + origin() : "");
    }
}
