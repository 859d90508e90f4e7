package io.bpfscope.probes.exit;

import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A process ended: by exit() with a code, or killed by a signal. {@code status}
 * is the kernel's task exit code, laid out like a wait(2) status.
 */
public record ExitEvent(EventHeader header, int ppid, int status, long lifetimeNanos) implements DecodedEvent {
    private static final String[] SIGNALS = {
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    };
    private static final int SIGRTMIN = 34; // as glibc and kill -l number them
    private static final int SIGRTMAX = 64;

    /** The code given to exit(), 0..255; 0 when a signal ended the process. */
    public int exitCode() {
        return (status >> 8) & 0xff;
    }

    /** The signal that ended the process, or 0. */
    public int signal() {
        return status & 0x7f;
    }

    public boolean coreDumped() {
        return (status & 0x80) != 0;
    }

    /** From the process start to its exit (CLOCK_BOOTTIME: a suspend in between counts). */
    public Duration lifetime() {
        return Duration.ofNanos(lifetimeNanos);
    }

    /** {@code SIGKILL} for 9; {@code SIGRTMIN+2}, or {@code signal 33} for numbers without a name (x86_64 numbering). */
    public static String signalName(int signal) {
        if (signal > 0 && signal < SIGNALS.length) {
            return SIGNALS[signal];
        }
        if (signal == SIGRTMAX) {
            return "SIGRTMAX";
        }
        if (signal >= SIGRTMIN && signal < SIGRTMAX) {
            return signal == SIGRTMIN ? "SIGRTMIN" : "SIGRTMIN+" + (signal - SIGRTMIN);
        }
        return "signal " + signal;
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ppid", ppid);
        fields.put("uid", header.uid());
        fields.put("exit_code", exitCode());
        fields.put("signal", signal());
        if (signal() != 0) {
            fields.put("signal_name", signalName(signal()));
        }
        fields.put("core_dumped", coreDumped());
        fields.put("lifetime_ns", lifetimeNanos);
        return fields;
    }

    @Override
    public String summary() {
        String how = signal() != 0 ? "killed by " + signalName(signal()) : "exited " + exitCode();
        return how + " after " + io.bpfscope.probes.DurationText.of(lifetimeNanos) + (coreDumped() ? " (core dumped)" : "");
    }
}
