package io.bpfscope.probes.unix;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.probes.ProbeHarness;
import io.bpfscope.probes.ProbeOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real unix-socket traffic between Python processes (separate processes, so
 * peer pids can be told apart), each step done with a different syscall.
 */
@RequiresBpf
class UnixProbeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int BIG = 40 * 1024;
    /**
     * The in-kernel comm filter keeps the rest of the machine out: an X server
     * or a busy D-Bus can fill the test's ring buffer while the scripts run.
     */
    private static final ProbeOptions PYTHON_ONLY = ProbeOptions.defaults().withComm("python3");

    private static final String STREAM_SERVER = """
            import os, socket, sys
            path = sys.argv[1]
            srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            srv.bind(path)
            srv.listen(1)
            print("ready", flush=True)
            conn, _ = srv.accept()
            got = os.read(conn.fileno(), 4096)            # read(2)
            conn.sendall(b"reply-w-" + got)                # sendto(2)
            got = conn.recvmsg(4096)[0]                    # recvmsg(2)
            conn.sendmsg([b"reply-m-", got])               # sendmsg(2), two iovecs
            n = 0
            while n < %d:
                n += len(conn.recv(65536))
            conn.sendall(b"done")
            conn.close()
            """.formatted(BIG);

    private static final String STREAM_CLIENT = """
            import os, socket, sys
            path, tok = sys.argv[1], sys.argv[2]
            c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            c.connect(path)
            os.write(c.fileno(), ("w-" + tok).encode())    # write(2)
            c.recv(4096)                                   # recvfrom(2)
            c.sendmsg([("m-" + tok).encode()])             # sendmsg(2)
            c.recv(4096)
            c.sendall(bytes(range(256)) * %d)              # sendto(2), 40 KiB
            c.recv(4096)
            """.formatted(BIG / 256);

    @Test
    void namedStreamSocketBothDirectionsWithPathPeersAndTruncation(@TempDir Path dir) throws Exception {
        String token = UUID.randomUUID().toString();
        Path socketPath = dir.resolve("s.sock");
        try (ProbeHarness probe = ProbeHarness.attach(UnixProbe.PROBE, PYTHON_ONLY)) {
            Process server = python(dir, "server.py", STREAM_SERVER, socketPath.toString());
            try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(out.readLine()).isEqualTo("ready");
                Process client = python(dir, "client.py", STREAM_CLIENT, socketPath.toString(), token);
                assertThat(client.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(client.exitValue()).as(errors(client)).isZero();
                assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(server.exitValue()).as(errors(server)).isZero();
            }
            int serverPid = (int) server.pid();
            String path = socketPath.toString();

            UnixEvent clientWrite = one(probe, e -> e.direction() == UnixEvent.Direction.SEND && text(e).equals("w-" + token));
            assertThat(clientWrite.syscall()).isEqualTo("write");
            assertThat(clientWrite.sockType()).isEqualTo("stream");
            assertThat(clientWrite.path()).isEqualTo(path);
            assertThat(clientWrite.pathIsPeer()).isTrue(); // the client is not bound: the path is the server's
            assertThat(clientWrite.peerPid()).isEqualTo(serverPid);
            assertThat(clientWrite.payloadLen()).isEqualTo(("w-" + token).length());
            assertThat(clientWrite.bufLen()).isEqualTo(clientWrite.payloadLen());
            assertThat(clientWrite.truncated()).isFalse();
            assertThat(clientWrite.header().comm()).isEqualTo("python3");
            int clientPid = clientWrite.header().pid();
            assertThat(clientPid).isNotEqualTo(serverPid);

            UnixEvent serverRead = one(probe, e -> e.direction() == UnixEvent.Direction.RECV && text(e).equals("w-" + token));
            assertThat(serverRead.header().pid()).isEqualTo(serverPid);
            assertThat(serverRead.syscall()).isEqualTo("read");
            assertThat(serverRead.bufLen()).isEqualTo(4096);
            assertThat(serverRead.path()).isEqualTo(path);
            assertThat(serverRead.pathIsPeer()).isFalse();
            assertThat(serverRead.peerPid()).isEqualTo(clientPid);
            // The two ends name each other: one conversation.
            assertThat(serverRead.sock()).isEqualTo(clientWrite.peerSock()).isNotZero();
            assertThat(serverRead.peerSock()).isEqualTo(clientWrite.sock()).isNotZero();
            // The client's first write can come before the server's accept() has given the
            // server end an inode, so inodes are compared on the reply, which comes after it.
            assertThat(serverRead.peerInode()).isEqualTo(clientWrite.inode()).isNotZero();

            UnixEvent serverReply = one(probe, e -> e.direction() == UnixEvent.Direction.SEND && text(e).equals("reply-w-w-" + token));
            assertThat(serverReply.syscall()).isEqualTo("sendto");
            assertThat(serverReply.header().pid()).isEqualTo(serverPid);
            UnixEvent clientRecv = one(probe, e -> e.direction() == UnixEvent.Direction.RECV && text(e).equals("reply-w-w-" + token));
            assertThat(clientRecv.peerInode()).isEqualTo(serverRead.inode()).isNotZero();
            assertThat(clientRecv.syscall()).isEqualTo("recvfrom");
            assertThat(clientRecv.header().pid()).isEqualTo(clientPid);
            assertThat(clientRecv.peerPid()).isEqualTo(serverPid);

            UnixEvent clientSendmsg = one(probe, e -> e.direction() == UnixEvent.Direction.SEND && text(e).equals("m-" + token));
            assertThat(clientSendmsg.syscall()).isEqualTo("sendmsg");
            assertThat(clientSendmsg.header().pid()).isEqualTo(clientPid);
            UnixEvent serverRecvmsg = one(probe, e -> e.direction() == UnixEvent.Direction.RECV && text(e).equals("m-" + token));
            assertThat(serverRecvmsg.syscall()).isEqualTo("recvmsg");
            assertThat(serverRecvmsg.header().pid()).isEqualTo(serverPid);
            UnixEvent serverSendmsg = one(probe, e -> e.direction() == UnixEvent.Direction.SEND && text(e).equals("reply-m-m-" + token));
            assertThat(serverSendmsg.syscall()).isEqualTo("sendmsg");
            assertThat(serverSendmsg.bufLen()).isEqualTo(("reply-m-m-" + token).length()); // both iovecs, in order

            byte[] big = new byte[BIG];
            for (int i = 0; i < BIG; i++) {
                big[i] = (byte) i;
            }
            UnixEvent bigSend = one(probe, e -> e.direction() == UnixEvent.Direction.SEND && e.header().pid() == clientPid
                    && e.payloadLen() == BIG);
            assertThat(bigSend.syscall()).isEqualTo("sendto");
            assertThat(bigSend.truncated()).isTrue();
            assertThat(bigSend.data()).hasSize(32 * 1024).isEqualTo(Arrays.copyOf(big, 32 * 1024));
            assertThat(bigSend.payload().originalLength()).isEqualTo(BIG);
            assertThat(bigSend.payload().truncated()).isTrue();
            assertThat(probe.loaded().truncated()).isGreaterThanOrEqualTo(1);
            assertThat(probe.loaded().lost()).isZero();
        }
    }

    private static final String SOCKETPAIR = """
            import ctypes, os, socket, sys
            tok = sys.argv[1]
            a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            os.write(a.fileno(), ("ping-" + tok).encode())        # write(2)
            os.readv(b.fileno(), [bytearray(8), bytearray(4096)])  # readv(2)
            os.writev(b.fileno(), [b"pong-", tok.encode()])       # writev(2), two iovecs
            a.recv_into(bytearray(4096))                          # recvfrom(2)

            # sendmmsg(2) of two datagrams, from ctypes: Python has no wrapper for it.
            class iovec(ctypes.Structure):
                _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]
            class msghdr(ctypes.Structure):
                _fields_ = [("name", ctypes.c_void_p), ("namelen", ctypes.c_uint32), ("iov", ctypes.POINTER(iovec)),
                            ("iovlen", ctypes.c_size_t), ("control", ctypes.c_void_p), ("controllen", ctypes.c_size_t),
                            ("flags", ctypes.c_int)]
            class mmsghdr(ctypes.Structure):
                _fields_ = [("hdr", msghdr), ("len", ctypes.c_uint)]
            c, d = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
            bufs = [ctypes.create_string_buffer(("dg%d-" % i + tok).encode()) for i in range(2)]
            iovs = (iovec * 2)(*[iovec(ctypes.cast(bufs[i], ctypes.c_void_p), len(bufs[i]) - 1) for i in range(2)])
            msgs = (mmsghdr * 2)()
            for i in range(2):
                msgs[i].hdr.iov = ctypes.pointer(iovs[i])
                msgs[i].hdr.iovlen = 1
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.sendmmsg(c.fileno(), msgs, 2, 0) != 2:
                sys.exit("sendmmsg: errno %d" % ctypes.get_errno())
            d.recv(4096)
            d.recv(4096)
            """;

    @Test
    void socketpairBothDirectionsThroughVectoredAndMmsgCalls(@TempDir Path dir) throws Exception {
        String token = UUID.randomUUID().toString();
        try (ProbeHarness probe = ProbeHarness.attach(UnixProbe.PROBE, PYTHON_ONLY)) {
            Process process = python(dir, "pair.py", SOCKETPAIR, token);
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(errors(process)).isZero();
            int pid = (int) process.pid();

            UnixEvent ping = one(probe, e -> e.direction() == UnixEvent.Direction.SEND && text(e).equals("ping-" + token));
            assertThat(ping.syscall()).isEqualTo("write");
            assertThat(ping.path()).isEmpty();
            assertThat(ping.peerPid()).isEqualTo(pid); // socketpair: both ends carry their creator's credentials
            UnixEvent pingRead = one(probe, e -> e.direction() == UnixEvent.Direction.RECV && text(e).equals("ping-" + token));
            assertThat(pingRead.syscall()).isEqualTo("readv");
            assertThat(pingRead.bufLen()).isEqualTo(8 + 4096); // the readv segments, filled in order
            assertThat(pingRead.sock()).isEqualTo(ping.peerSock());
            assertThat(pingRead.peerSock()).isEqualTo(ping.sock());

            UnixEvent pong = one(probe, e -> e.direction() == UnixEvent.Direction.SEND && text(e).equals("pong-" + token));
            assertThat(pong.syscall()).isEqualTo("writev");
            assertThat(pong.sock()).isEqualTo(pingRead.sock());
            UnixEvent pongRecv = one(probe, e -> e.direction() == UnixEvent.Direction.RECV && text(e).equals("pong-" + token));
            assertThat(pongRecv.syscall()).isEqualTo("recvfrom");
            assertThat(pongRecv.sock()).isEqualTo(ping.sock());

            for (int i = 0; i < 2; i++) {
                String datagram = "dg" + i + "-" + token;
                UnixEvent sent = one(probe, e -> e.direction() == UnixEvent.Direction.SEND && text(e).equals(datagram));
                assertThat(sent.syscall()).isEqualTo("sendmmsg");
                assertThat(sent.sockType()).isEqualTo("dgram");
                assertThat(sent.payloadLen()).isEqualTo(datagram.length());
                UnixEvent received = one(probe, e -> e.direction() == UnixEvent.Direction.RECV && text(e).equals(datagram));
                assertThat(received.syscall()).isEqualTo("recvfrom");
                assertThat(received.sock()).isEqualTo(sent.peerSock());
            }
        }
    }

    private static final String DGRAM_ABSTRACT = """
            import socket, sys
            name, tok = sys.argv[1], sys.argv[2]
            srv = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            srv.bind("\\0" + name)
            cli = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            cli.sendto(tok.encode(), "\\0" + name)                # unbound, unconnected: the address names the peer
            srv.recvfrom(4096)
            """;

    @Test
    void datagramToAnAbstractName(@TempDir Path dir) throws Exception {
        String token = UUID.randomUUID().toString();
        String name = "bpfscope-" + token.substring(0, 8);
        try (ProbeHarness probe = ProbeHarness.attach(UnixProbe.PROBE, PYTHON_ONLY)) {
            Process process = python(dir, "dgram.py", DGRAM_ABSTRACT, name, token);
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(errors(process)).isZero();

            UnixEvent sent = one(probe, e -> e.direction() == UnixEvent.Direction.SEND && text(e).equals(token));
            assertThat(sent.syscall()).isEqualTo("sendto");
            assertThat(sent.sockType()).isEqualTo("dgram");
            assertThat(sent.path()).isEqualTo("@" + name);
            assertThat(sent.pathIsPeer()).isTrue();
            assertThat(sent.peerSock()).isZero();
            UnixEvent received = one(probe, e -> e.direction() == UnixEvent.Direction.RECV && text(e).equals(token));
            assertThat(received.syscall()).isEqualTo("recvfrom");
            assertThat(received.path()).isEqualTo("@" + name);
            assertThat(received.pathIsPeer()).isFalse();
            assertThat(received.summary()).startsWith("recv " + token.length() + " B recvfrom dgram @" + name);
        }
    }

    @Test
    void payloadLimitIsTheUsersChoice(@TempDir Path dir) throws Exception {
        String token = UUID.randomUUID().toString();
        try (ProbeHarness probe = ProbeHarness.attach(UnixProbe.PROBE, PYTHON_ONLY.withMaxPayload(10))) {
            Process process = python(dir, "pair.py", SOCKETPAIR, token);
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            UnixEvent ping = one(probe, e -> e.direction() == UnixEvent.Direction.SEND && e.header().pid() == process.pid()
                    && e.syscall().equals("write"));
            assertThat(text(ping)).isEqualTo(("ping-" + token).substring(0, 10));
            assertThat(ping.truncated()).isTrue();
            assertThat(ping.payloadLen()).isEqualTo(("ping-" + token).length());
            UnixEvent pong = one(probe, e -> e.direction() == UnixEvent.Direction.SEND && e.header().pid() == process.pid()
                    && e.syscall().equals("writev"));
            assertThat(text(pong)).isEqualTo(("pong-" + token).substring(0, 10)); // crosses the iovec boundary
        }
    }

    private static UnixEvent one(ProbeHarness probe, Predicate<UnixEvent> match) throws Exception {
        List<UnixEvent> events = probe.await(UnixEvent.class, match, 1, WAIT);
        assertThat(events).as("a matching unix event among %d seen", probe.seen().size()).hasSize(1);
        return events.get(0);
    }

    private static String text(UnixEvent event) {
        return new String(event.data(), StandardCharsets.ISO_8859_1);
    }

    static Process python(Path dir, String file, String script, String... args) throws Exception {
        Path scriptPath = dir.resolve(file);
        Files.writeString(scriptPath, script);
        List<String> command = new ArrayList<>();
        command.add(Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
        command.add(scriptPath.toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    private static String errors(Process process) throws Exception {
        return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
