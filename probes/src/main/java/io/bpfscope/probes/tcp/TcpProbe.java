package io.bpfscope.probes.tcp;

import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.FieldSpec;
import io.bpfscope.probes.ProbeDeclaration;
import io.bpfscope.probes.TracepointProbe;
import java.util.List;
import java.util.Optional;

/**
 * The tcp probe's spec. Only the state tracepoint is required; without the
 * syscall ones, connects are still seen but failed connects are not, and
 * accepted connections stay unreported.
 */
public final class TcpProbe {
    static final ProbeDeclaration DECLARATION = ProbeDeclaration.builder()
            .field(FieldSpec.text("event", "listen, connect, established, accept, state, close, connect_failed"))
            .field(FieldSpec.number("family", "4 or 6: the IP version on the wire"))
            .field(FieldSpec.text("saddr", "the local address"))
            .field(FieldSpec.number("sport", "the local port"))
            .field(FieldSpec.text("daddr", "the remote address"))
            .field(FieldSpec.number("dport", "the remote port"))
            .field(FieldSpec.text("oldstate", "state changes: the state before (TCP_SYN_SENT...)"))
            .field(FieldSpec.text("newstate", "state changes and accept: the state after (TCP_ESTABLISHED...)"))
            .field(FieldSpec.text("sock", "the kernel's struct sock address as hex: one per connection"))
            .field(FieldSpec.flag("owner_known", "false for sockets from before the probe"))
            .field(FieldSpec.number("duration_ns", "ns", "close: since the socket was first seen"))
            .field(FieldSpec.number("bytes_acked", "bytes", "close: bytes sent that the peer acknowledged"))
            .field(FieldSpec.number("bytes_received", "bytes", "close: bytes received"))
            .field(FieldSpec.number("retransmits", "close: segments retransmitted"))
            .field(FieldSpec.number("srtt_us", "us", "close: the smoothed round-trip time"))
            .field(FieldSpec.text("error", "connect_failed, close: the errno name (ECONNREFUSED...)"))
            .color("#1565c0", "#ecf3fc", "#1d2633")
            .streamKey(event -> Optional.ofNullable(event.field("sock")).map(sock -> "tcp/" + sock),
                    key -> "probe == tcp && sock == \"" + key.split("/")[1] + "\"")
            // the peer as the summary writes it ([::1]:443); a listener's unset peer (:: port 0) is no host
            .statistic(ProbeDeclaration.StatisticTable.HOSTS, event -> event instanceof TcpEvent tcp && tcp.dport() != 0
                    ? Optional.of(tcp.remote()) : Optional.empty())
            .build();

    public static final Probe PROBE = new TracepointProbe("tcp",
            "TCP connections: connect, accept, state changes, close with bytes and duration, failed connects",
            EventKind.TCP, new TcpDecoder(), DECLARATION, List.of(
                    new TracepointProbe.Program("tcp_state", "sock", "inet_sock_set_state", true),
                    new TracepointProbe.Program("connect_enter", "syscalls", "sys_enter_connect", false),
                    new TracepointProbe.Program("connect_exit", "syscalls", "sys_exit_connect", false),
                    new TracepointProbe.Program("accept4_exit", "syscalls", "sys_exit_accept4", false),
                    new TracepointProbe.Program("accept_exit", "syscalls", "sys_exit_accept", false)));

    private TcpProbe() {
    }
}
