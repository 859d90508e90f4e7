package io.bpfscope.probes.tcp;

import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeCatalog;
import io.bpfscope.probes.TracepointProbe;
import java.util.List;

/**
 * The tcp probe's spec. Only the state tracepoint is required; without the
 * syscall ones, connects are still seen but failed connects are not, and
 * accepted connections stay unreported.
 */
public final class TcpProbe {
    public static final Probe PROBE = new TracepointProbe("tcp",
            "TCP connections: connect, accept, state changes, close with bytes and duration, failed connects",
            ProbeCatalog.EVENT_TCP, new TcpDecoder(), List.of(
                    new TracepointProbe.Program("tcp_state", "sock", "inet_sock_set_state", true),
                    new TracepointProbe.Program("connect_enter", "syscalls", "sys_enter_connect", false),
                    new TracepointProbe.Program("connect_exit", "syscalls", "sys_exit_connect", false),
                    new TracepointProbe.Program("accept4_exit", "syscalls", "sys_exit_accept4", false),
                    new TracepointProbe.Program("accept_exit", "syscalls", "sys_exit_accept", false)));

    private TcpProbe() {
    }
}
