package io.bpfscope.probes.dns;

import io.bpfscope.probes.EventKind;
import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.BpfLink;
import io.bpfscope.bridge.BpfObject;
import io.bpfscope.bridge.BpfProgram;
import io.bpfscope.bridge.TraceFs;
import io.bpfscope.bridge.elf.ElfFile;
import io.bpfscope.probes.Availability;
import io.bpfscope.probes.EntryReturnUprobes;
import io.bpfscope.probes.EntryReturnUprobes.Function;
import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.FieldSpec;
import io.bpfscope.probes.PacketFlow;
import io.bpfscope.probes.ProbeDeclaration;
import io.bpfscope.probes.ProbeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Name lookups from two sides: uprobes on libc's resolver functions (in the
 * libc the dynamic linker's cache names, and in every {@code --lib} file that
 * defines getaddrinfo, such as another libc), and the data syscalls'
 * tracepoints for DNS over UDP port 53. The tracepoints are required; a
 * missing libc or function only costs a warning, since the wire side still
 * works. Immutable and thread-safe.
 */
public final class DnsProbe implements Probe {
    static final ProbeDeclaration DECLARATION = ProbeDeclaration.builder()
            .field(FieldSpec.text("source", "getaddrinfo, gethostbyname, gethostbyname2, gethostbyname_r, gethostbyname2_r or udp"))
            .field(FieldSpec.number("ppid", "the parent's pid"))
            .field(FieldSpec.text("parent_comm", "the parent's name"))
            .field(FieldSpec.text("query", "the name asked, without the final dot"))
            .field(FieldSpec.text("qtype", "A, AAAA, A/AAAA (resolver calls), or the question's type"))
            .field(FieldSpec.text("direction", "udp: send or recv, from the calling process's side"))
            .field(FieldSpec.text("syscall", "udp: write, read, sendto, recvfrom, sendmsg, recvmsg..."))
            .field(FieldSpec.text("server", "udp: the end on port 53, ip:port"))
            .field(FieldSpec.text("client", "udp: the other end, ip:port"))
            .field(FieldSpec.number("id", "udp: the message id"))
            .field(FieldSpec.text("qr", "udp: query or response"))
            .field(FieldSpec.text("opcode", "udp: QUERY, NOTIFY, UPDATE..."))
            .field(FieldSpec.text("rcode", "udp responses: NOERROR, NXDOMAIN, SERVFAIL..."))
            .field(FieldSpec.list("answers", "the addresses or answer records returned"))
            .field(FieldSpec.number("len", "bytes", "udp: the message's length"))
            .field(FieldSpec.text("parse_error", "udp: why the message did not parse"))
            .field(FieldSpec.number("latency_ns", "ns", "resolver calls: from entry to return"))
            .field(FieldSpec.number("rc", "resolver calls: the return value"))
            .field(FieldSpec.text("error", "a failed lookup: EAI_NONAME, HOST_NOT_FOUND..."))
            .field(FieldSpec.flag("answers_truncated", "present (true) when there were more than 4 addresses"))
            .field(FieldSpec.flag("query_truncated", "present (true) when the name asked was cut"))
            .color("#00838f", "#e9f6f7", "#1b2d30")
            .statistic(ProbeDeclaration.StatisticTable.HOSTS, event -> java.util.Optional
                    .ofNullable(event.field("query")).map(String::valueOf).filter(query -> !query.isEmpty())
                    .map(query -> query + " (dns)"))
            .packets(DnsProbe::packets)
            .build();

    /**
     * A DNS datagram keeps its real ends (the exporter makes up only an unknown or
     * unspecified one). The server is the end on port 53: the remote one, unless only
     * the local one is (a traced DNS server). Resolver calls carry no packet.
     */
    private static java.util.Optional<PacketFlow> packets(io.bpfscope.probes.DecodedEvent event) {
        if (!(event instanceof DnsEvent dns) || dns.source() != DnsEvent.Source.UDP) {
            return java.util.Optional.empty();
        }
        DnsEvent.Endpoint local = dns.local();
        DnsEvent.Endpoint remote = dns.remote();
        boolean remoteIsServer = !(local != null && local.port() == DNS_PORT
                && (remote == null || remote.port() != DNS_PORT));
        DnsEvent.Endpoint clientEnd = remoteIsServer ? local : remote;
        DnsEvent.Endpoint serverEnd = remoteIsServer ? remote : local;
        return java.util.Optional.of(new PacketFlow("dns " + clientEnd + " " + serverEnd, PacketFlow.Transport.UDP,
                PacketFlow.ServerPort.DNS, dns.direction() == DnsEvent.Direction.SEND, remoteIsServer,
                " client=" + clientEnd + " server=" + serverEnd,
                "direction=" + dns.direction().label() + " syscall=" + dns.syscall() + " server=" + dns.server()
                        + " client=" + dns.client(),
                new PacketFlow.Ends(endpoint(clientEnd), endpoint(serverEnd))));
    }

    private static final int DNS_PORT = 53;

    private static PacketFlow.Endpoint endpoint(DnsEvent.Endpoint end) {
        return end == null ? null : new PacketFlow.Endpoint(end.address(), end.port());
    }

    /** The resolver functions and their entry programs; all share one return program. */
    private static final List<Function> FUNCTIONS = List.of(
            new Function("getaddrinfo", "dns_getaddrinfo"),
            new Function("gethostbyname", "dns_gethostbyname"),
            new Function("gethostbyname2", "dns_gethostbyname2"),
            new Function("gethostbyname_r", "dns_gethostbyname_r"),
            new Function("gethostbyname2_r", "dns_gethostbyname2_r"));
    private static final String RETURN_PROGRAM = "dns_resolve_return";
    private static final List<String> SYSCALLS = List.of("write", "read", "sendto", "recvfrom", "sendmsg", "recvmsg");
    private static final List<String> OPTIONAL_SYSCALLS = List.of("sendmmsg", "recvmmsg");
    private static final List<String> FALLBACK_LIBC = List.of("/lib/x86_64-linux-gnu/libc.so.6", "/lib64/libc.so.6",
            "/usr/lib64/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6", "/usr/lib/libc.so.6");

    public static final Probe PROBE = new DnsProbe();

    private DnsProbe() {
    }

    @Override
    public String name() {
        return "dns";
    }

    @Override
    public String description() {
        return "name lookups: libc getaddrinfo/gethostbyname* with answers and latency, and DNS messages on UDP port 53";
    }

    @Override
    public List<String> attachPoints() {
        List<String> points = new ArrayList<>();
        for (Function f : FUNCTIONS) {
            points.add("uprobe:libc:" + f.symbol());
            points.add("uretprobe:libc:" + f.symbol());
        }
        for (String call : allSyscalls()) {
            points.add("tracepoint:syscalls:sys_enter_" + call);
            points.add("tracepoint:syscalls:sys_exit_" + call);
        }
        return points;
    }

    @Override
    public int kind() {
        return EventKind.DNS;
    }

    @Override
    public ProbeDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public EventDecoder decoder() {
        return new DnsDecoder();
    }

    @Override
    public String objectName() {
        return "dns.bpf.o";
    }

    @Override
    public Availability availability() {
        for (String call : SYSCALLS) {
            for (String side : List.of("sys_enter_", "sys_exit_")) {
                if (!TraceFs.hasTracepoint("syscalls", side + call)) {
                    return Availability.no("this kernel has no tracepoint syscalls:" + side + call);
                }
            }
        }
        return Availability.yes();
    }

    @Override
    public void configure(BpfObject object, ProbeOptions options) throws BpfException {
        for (String call : OPTIONAL_SYSCALLS) {
            for (String side : List.of("enter", "exit")) {
                if (!TraceFs.hasTracepoint("syscalls", "sys_" + side + "_" + call)) {
                    object.program("dns_" + call + "_" + side).setAutoload(false);
                }
            }
        }
    }

    @Override
    public List<BpfLink> attach(BpfObject object, ProbeOptions options, Consumer<String> warnings) throws BpfException {
        List<BpfLink> links = new ArrayList<>();
        try {
            for (String call : allSyscalls()) {
                for (String side : List.of("enter", "exit")) {
                    String event = "sys_" + side + "_" + call;
                    if (!TraceFs.hasTracepoint("syscalls", event)) {
                        if (SYSCALLS.contains(call)) {
                            throw BpfException.of("attach tracepoint", "syscalls:" + event, 2, "");
                        }
                        warnings.accept("dns: skipped tracepoint:syscalls:" + event + " (not in this kernel)");
                        continue;
                    }
                    links.add(object.program("dns_" + call + "_" + side).attachTracepoint("syscalls", event));
                }
            }
            List<Path> libraries = libraries(options.libraries(), warnings);
            if (libraries.isEmpty()) {
                warnings.accept("dns: no libc found; resolver calls are not traced, only DNS over UDP "
                        + "(name one with --lib PATH)");
            }
            int pid = options.pid() > 0 ? options.pid() : -1; // the uprobes filter by pid too
            for (Path library : libraries) {
                try {
                    links.addAll(attachLibrary(object, library, pid, warnings));
                } catch (BpfException e) {
                    warnings.accept("dns: skipped " + library + ": " + e.getMessage());
                }
            }
        } catch (BpfException | RuntimeException e) {
            links.forEach(BpfLink::close);
            throw e;
        }
        return links;
    }

    private static List<String> allSyscalls() {
        List<String> all = new ArrayList<>(SYSCALLS);
        all.addAll(OPTIONAL_SYSCALLS);
        return all;
    }

    /**
     * The system libc (from ld.so.cache, else a usual path) and the user's
     * files, each file once: a uprobe belongs to the file, and two on one
     * file would report every call twice.
     */
    static List<Path> libraries(List<Path> userPaths, Consumer<String> warnings) {
        Map<Object, Path> byFile = new LinkedHashMap<>();
        for (Path p : userPaths) {
            Object key = fileKey(p);
            if (key == null) {
                warnings.accept("dns: --lib " + p + ": no such readable file");
            } else {
                byFile.putIfAbsent(key, p);
            }
        }
        List<Path> system = new ArrayList<>(LdSoCache.lookup(LdSoCache.DEFAULT, "libc.so.6"));
        FALLBACK_LIBC.forEach(p -> system.add(Path.of(p)));
        for (Path p : system) {
            Object key = fileKey(p);
            if (key != null) {
                byFile.putIfAbsent(key, p);
                break; // the first one that exists is the one ld.so loads
            }
        }
        return List.copyOf(byFile.values());
    }

    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Entry and return probes of each resolver function the file defines; a file without any is a warning. */
    private static List<BpfLink> attachLibrary(BpfObject object, Path library, int pid, Consumer<String> warnings)
            throws BpfException {
        String path = library.toString();
        ElfFile elf;
        try {
            elf = ElfFile.open(library);
        } catch (IOException e) {
            warnings.accept("dns: skipped " + path + ": " + e.getMessage());
            return List.of();
        }
        BpfProgram exit = object.program(RETURN_PROGRAM);
        List<BpfLink> links = EntryReturnUprobes.attach(object, exit, elf, path, FUNCTIONS, pid, "dns", warnings);
        if (links.isEmpty()) {
            warnings.accept("dns: " + path + " defines none of "
                    + FUNCTIONS.stream().map(Function::symbol).toList());
        }
        return links;
    }
}
