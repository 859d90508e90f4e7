package io.bpfscope.probes.unix;

import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.FieldSpec;
import io.bpfscope.probes.PacketFlow;
import io.bpfscope.probes.ProbeDeclaration;
import io.bpfscope.probes.TracepointProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The unix probe's spec: enter and exit tracepoints of every syscall that moves socket data. */
public final class UnixProbe {
    /** Syscalls traced; the mmsg pair is optional (a kernel without it still has the rest). */
    private static final List<String> REQUIRED = List.of("write", "read", "sendto", "recvfrom", "sendmsg", "recvmsg",
            "writev", "readv");
    private static final List<String> OPTIONAL = List.of("sendmmsg", "recvmmsg");

    static final ProbeDeclaration DECLARATION = ProbeDeclaration.builder()
            .field(FieldSpec.text("direction", "send or recv, from the calling process's side"))
            .field(FieldSpec.text("syscall", "the syscall that moved the data: write, recvmsg..."))
            .field(FieldSpec.number("fd", "the socket's file descriptor"))
            .field(FieldSpec.text("sock_type", "stream, dgram or seqpacket"))
            .field(FieldSpec.text("path", "the socket path (either end's), or empty"))
            .field(FieldSpec.text("path_owner", "whose path it is: self or peer, empty without a path"))
            .field(FieldSpec.number("peer_pid", "the peer's pid when the kernel knows it, else 0"))
            .field(FieldSpec.text("sock", "this socket's kernel address as hex"))
            .field(FieldSpec.text("peer_sock", "the peer socket's kernel address as hex (0x0: none)"))
            .field(FieldSpec.number("inode", "this socket's inode"))
            .field(FieldSpec.number("peer_inode", "the peer socket's inode"))
            .field(FieldSpec.number("buf_len", "bytes", "the buffer size the call passed"))
            .field(FieldSpec.number("len", "bytes", "bytes moved, before the capture limit"))
            .color("#ef6c00", "#fdf4e8", "#31291d")
            .streamKey(UnixProbe::streamKey, UnixProbe::streamFilter)
            .packets(UnixProbe::packets)
            .build();

    /** Datagrams to these paths are syslog messages: pcapng puts them on port 514. */
    private static final java.util.Set<String> SYSLOG_PATHS = java.util.Set.of("/dev/log",
            "/run/systemd/journal/dev-log", "/run/systemd/journal/syslog");

    public static final Probe PROBE = new TracepointProbe("unix",
            "unix-domain socket data, both directions, every send/recv/read/write syscall, up to 32 KiB per call",
            EventKind.UNIX, new UnixDecoder(), DECLARATION, programs());

    private UnixProbe() {
    }

    /**
     * A socket pair's data over a made-up stream: TCP for stream sockets, UDP for datagrams.
     * An unconnected datagram socket has no peer: each path it sends to is a stream of its own.
     */
    private static Optional<PacketFlow> packets(io.bpfscope.probes.DecodedEvent event) {
        if (!(event instanceof UnixEvent unix)) {
            return Optional.empty();
        }
        String sock = "0x" + Long.toHexString(unix.sock());
        String peer = "0x" + Long.toHexString(unix.peerSock());
        String key = "unix " + sock + " " + peer + (unix.peerSock() == 0 ? " " + unix.path() : "");
        boolean datagram = unix.sockType().equals("dgram");
        PacketFlow.ServerPort port = datagram
                ? (SYSLOG_PATHS.contains(unix.path()) ? PacketFlow.ServerPort.SYSLOG : PacketFlow.ServerPort.DATA)
                : PacketFlow.ServerPort.HTTP_WHEN_IT_LOOKS_LIKE_IT;
        String path = unix.path().isEmpty() ? "" : " path=" + unix.path();
        return Optional.of(new PacketFlow(key, datagram ? PacketFlow.Transport.UDP : PacketFlow.Transport.TCP, port,
                unix.direction() == UnixEvent.Direction.SEND, null, " sock=" + sock + " peer_sock=" + peer + path,
                "direction=" + unix.direction().label() + " syscall=" + unix.syscall() + " sock=" + sock
                        + " peer_sock=" + peer + " sock_type=" + unix.sockType() + path
                        + (unix.peerPid() != 0 ? " peer_pid=" + unix.peerPid() : ""), null));
    }

    /** {@code unix/SOCK/PEER} (PEER may be empty): either socket. */
    private static String streamFilter(String key) {
        String[] parts = key.split("/");
        return parts.length > 2 && !parts[2].isEmpty()
                ? "probe == unix && (sock == \"" + parts[1] + "\" || sock == \"" + parts[2] + "\")"
                : "probe == unix && sock == \"" + parts[1] + "\"";
    }

    /** Both sockets of a pair, sorted, so both directions share the key: {@code unix/0xffff8881.../0xffff8882...}. */
    private static Optional<String> streamKey(io.bpfscope.probes.DecodedEvent event) {
        Object sock = event.field("sock");
        Object peer = event.field("peer_sock");
        if (sock == null) {
            return Optional.empty();
        }
        String a = sock.toString();
        String b = peer == null || peer.toString().equals("0x0") ? "" : peer.toString();
        return Optional.of("unix/" + (b.isEmpty() || a.compareTo(b) < 0 ? a + "/" + b : b + "/" + a));
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
