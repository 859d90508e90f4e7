package io.bpfscope.probes.tls;

import io.bpfscope.probes.EventKind;
import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.BpfLink;
import io.bpfscope.bridge.BpfObject;
import io.bpfscope.bridge.BpfProgram;
import io.bpfscope.bridge.elf.ElfFile;
import io.bpfscope.bridge.sys.Errno;
import io.bpfscope.probes.Availability;
import io.bpfscope.probes.EntryReturnUprobes;
import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.FieldSpec;
import io.bpfscope.probes.PacketFlow;
import io.bpfscope.probes.ProbeDeclaration;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.golang.GoBinary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * TLS plaintext, both directions, by a uprobe and a uretprobe on each read and
 * write function of OpenSSL, GnuTLS and NSPR, in every copy of those libraries
 * this host has (see {@link TlsLibraries}) and in the files given with
 * {@code --lib}; and in the Go programs running, on crypto/tls's
 * {@code (*Conn).Write} and {@code Read} (entry and RET uprobes, see {@link GoTlsAttacher}). A function a library lacks is skipped (OpenSSL 1.1.0 has no
 * {@code _ex} calls); a library that cannot be attached goes to the warnings;
 * the probe fails only when nothing at all attached. Immutable and thread-safe.
 */
public final class TlsProbe implements Probe {
    static final ProbeDeclaration DECLARATION = ProbeDeclaration.builder()
            .field(FieldSpec.text("direction", "write or read, from the traced process's side"))
            .field(FieldSpec.text("function", "the library function: SSL_write, SSL_read_ex, gnutls_record_send..."))
            .field(FieldSpec.text("library", "the TLS library: openssl, gnutls..."))
            .field(FieldSpec.text("conn", "the connection's SSL* (or session) address as hex: one per connection"))
            .field(FieldSpec.text("saddr", "the TCP connection's local address, when known"))
            .field(FieldSpec.number("sport", "the local port, when known"))
            .field(FieldSpec.text("daddr", "the remote address, when known"))
            .field(FieldSpec.number("dport", "the remote port, when known"))
            .field(FieldSpec.text("addr_source", "how the connection was learned: call (a socket syscall in the call),"
                    + " conn (an earlier call on this conn), thread (the thread's last TCP socket before the call)"
                    + " or fd (the library's own fd: Go's *tls.Conn)"))
            .field(FieldSpec.number("len", "bytes", "bytes written or read, before the capture limit"))
            .field(FieldSpec.number("payload_len", "bytes", "bytes captured"))
            .field(FieldSpec.flag("truncated", "the payload was cut at the capture limit"))
            .field(FieldSpec.number("retval", "the function's return value"))
            .field(FieldSpec.number("latency_ns", "ns", "from the call's entry to its return"))
            .field(FieldSpec.text("fd_type", "what the connection's fd is, when known: tcp, unix..."))
            .field(FieldSpec.flag("read_failed", "present (true) when the plaintext could not be read"))
            .color("#c62828", "#fcf0f0", "#321f22")
            .streamKey(event -> java.util.Optional.ofNullable(event.field("conn"))
                    .map(conn -> "tls/" + event.header().pid() + "/" + conn), TlsProbe::streamFilter)
            .statistic(ProbeDeclaration.StatisticTable.HOSTS, event -> java.util.Optional.ofNullable(event.field("daddr"))
                    .map(daddr -> daddr + ":" + event.field("dport")))
            .packets(TlsProbe::packets)
            .hostQuery(TlsCoverage.QUERY, TlsCoverage::rows)
            .build();

    /** {@code tls/PID/CONN}: that process's connection. */
    private static String streamFilter(String key) {
        String[] parts = key.split("/");
        return "probe == tls && pid == " + parts[1] + " && conn == \"" + parts[2] + "\"";
    }

    /**
     * A TLS connection's plaintext over a TCP stream, one per process and SSL*: between the
     * connection's real ends when the event names them, else made-up ones (HTTP's port).
     */
    private static java.util.Optional<PacketFlow> packets(io.bpfscope.probes.DecodedEvent event) {
        if (!(event instanceof TlsEvent tls)) {
            return java.util.Optional.empty();
        }
        TlsEvent.Connection c = tls.connection();
        PacketFlow.LocalEnds ends = c == null ? null : new PacketFlow.LocalEnds(
                new PacketFlow.Endpoint(io.bpfscope.probes.IpAddressText.of(c.saddr()), c.sport()),
                new PacketFlow.Endpoint(io.bpfscope.probes.IpAddressText.of(c.daddr()), c.dport()));
        return java.util.Optional.of(new PacketFlow("tls " + tls.header().pid() + " " + tls.connId(),
                PacketFlow.Transport.TCP, PacketFlow.ServerPort.HTTP, tls.function().isWrite(), null,
                " conn=" + tls.connId(),
                "direction=" + tls.direction() + " conn=" + tls.connId() + " function=" + tls.function().symbol()
                        + " library=" + tls.library() + (tls.readFailed() ? " read_failed" : ""), null, ends));
    }

    /** Every C library's TLS function and its entry program; all share TlsFunction.RETURN_PROGRAM. */
    static final List<EntryReturnUprobes.Function> FUNCTIONS = Arrays.stream(TlsFunction.values())
            .filter(f -> !f.isGo())
            .map(f -> new EntryReturnUprobes.Function(f.symbol(), f.program())).toList();

    private static final String NOTHING_FOUND = "no libssl, libgnutls or libnspr4 found; give one with --lib PATH";
    private static final TlsDecoder DECODER = new TlsDecoder();

    @Override
    public String name() {
        return "tls";
    }

    @Override
    public String description() {
        return "TLS plaintext read and written through OpenSSL, GnuTLS, NSPR and Go's crypto/tls, per connection";
    }

    @Override
    public List<String> attachPoints() {
        return Arrays.stream(TlsFunction.values())
                .map(f -> "uprobe:" + libraryFile(f) + ":" + f.symbol() + (f == TlsFunction.GO_READ ? " (entry and each RET)" : ""))
                .toList();
    }

    private static String libraryFile(TlsFunction f) {
        return switch (f.library()) {
            case "openssl" -> "libssl";
            case "gnutls" -> "libgnutls";
            case "go" -> "go-executables";
            default -> "libnspr4";
        };
    }

    @Override
    public int kind() {
        return EventKind.TLS;
    }

    @Override
    public ProbeDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public EventDecoder decoder() {
        return DECODER;
    }

    /** A capture from before events named their connection has the shorter struct. */
    @Override
    public EventDecoder decoder(io.bpfscope.probes.EventLayout recorded) {
        return recorded != null && recorded.fixedSize() == TlsDecoder.LAYOUT_BEFORE_CONNECTIONS.fixedSize()
                ? TlsDecoder.BEFORE_CONNECTIONS : DECODER;
    }

    @Override
    public String objectName() {
        return "tls.bpf.o";
    }

    @Override
    public Availability availability() {
        return TlsLibraries.anyPresent() ? Availability.yes() : Availability.no(NOTHING_FOUND);
    }

    @Override
    public List<BpfLink> attach(BpfObject object, ProbeOptions options, Consumer<String> warnings) throws BpfException {
        List<TlsLibraries.Library> libraries = TlsLibraries.find(options.libraries(), warnings);
        // The pid filter is also the uprobe's: other processes then never enter the program at all.
        int pid = options.pid() > 0 ? options.pid() : -1;
        BpfProgram exit = object.program(TlsFunction.RETURN_PROGRAM);
        List<BpfLink> links = new ArrayList<>();
        BpfException firstFailure = null;
        for (TlsLibraries.Library library : libraries) {
            try {
                links.addAll(attachLibrary(object, exit, library, pid, warnings));
            } catch (BpfException e) {
                warnings.accept("tls: skipped " + library.path() + ": " + e.getMessage());
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        if (!links.isEmpty()) {
            links.addAll(attachSocketSyscalls(object, warnings));
        }
        if (links.isEmpty()) {
            if (firstFailure != null) {
                throw firstFailure;
            }
            throw BpfException.of("attach uprobe", "tls", Errno.ENOENT,
                    "no TLS function found in " + libraries.stream().map(l -> l.path().toString()).toList());
        }
        return links;
    }

    /** The syscalls whose fd names a TLS call's connection (tls_sys_* in tls.bpf.c). */
    private static final List<String> SOCKET_SYSCALLS = List.of("write", "read", "writev", "readv", "sendto", "recvfrom",
            "sendmsg", "recvmsg");

    /** The syscall tracepoints that tie calls to sockets; without them events carry no addresses, and a warning says so. */
    private static List<BpfLink> attachSocketSyscalls(BpfObject object, Consumer<String> warnings) {
        List<BpfLink> links = new ArrayList<>();
        for (String call : SOCKET_SYSCALLS) {
            try {
                links.add(object.program("tls_sys_" + call).attachTracepoint("syscalls", "sys_enter_" + call));
            } catch (BpfException e) {
                warnings.accept("tls: connections are not tied to " + call + "(): " + e.getMessage());
            }
        }
        return links;
    }

    /** Executables with OpenSSL or BoringSSL inside (node), and Go programs: those running now, and those started later. */
    @Override
    public AutoCloseable keepAttaching(BpfObject object, ProbeOptions options, Consumer<String> warnings)
            throws BpfException {
        return TlsExecutables.start(object, options, warnings);
    }

    /** Both probes of every TLS function in one file; all or nothing for that file. */
    private static List<BpfLink> attachLibrary(BpfObject object, BpfProgram exit, TlsLibraries.Library library, int pid,
                                               Consumer<String> warnings) throws BpfException {
        String path = library.path().toString();
        ElfFile elf;
        try {
            elf = ElfFile.open(library.path());
        } catch (IOException e) {
            if (library.userGiven()) {
                warnings.accept("tls: skipped " + path + ": " + e.getMessage());
            }
            return List.of();
        }
        if (elf.machine() != hostMachine()) {
            if (library.userGiven()) {
                warnings.accept("tls: skipped " + path + ": built for ELF machine " + elf.machine()
                        + ", not this host's " + hostMachine());
            }
            return List.of();
        }
        if (GoBinary.mayBeGo(elf)) {
            List<BpfLink> go = GoTlsAttacher.attach(object, library.path(), elf, path, pid, warnings);
            if (!go.isEmpty()) {
                return go;
            }
        }
        List<BpfLink> links = EntryReturnUprobes.attach(object, exit, elf, path, FUNCTIONS, pid, "tls", warnings);
        if (links.isEmpty() && library.userGiven()) {
            warnings.accept("tls: " + path + " defines none of " + Arrays.stream(TlsFunction.values())
                    .map(TlsFunction::symbol).toList() + " (if it links a TLS library dynamically, that library is traced)");
        }
        return links;
    }

    static int hostMachine() {
        return "aarch64".equals(System.getProperty("os.arch")) ? 183 : 62;
    }
}
