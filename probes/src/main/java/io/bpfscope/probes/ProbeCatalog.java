package io.bpfscope.probes;

import io.bpfscope.probes.bench.BenchDecoder;
import io.bpfscope.probes.exec.ExecDecoder;
import io.bpfscope.probes.exit.ExitProbe;
import io.bpfscope.probes.open.OpenProbe;
import io.bpfscope.probes.tcp.TcpProbe;
import io.bpfscope.probes.tls.TlsProbe;
import io.bpfscope.probes.tracepoint.GenericTracepointProbe;
import io.bpfscope.probes.tracepoint.TracepointDecoder;
import io.bpfscope.probes.tracepoint.TracepointFormat;
import io.bpfscope.probes.tracepoint.TracepointFormatException;
import io.bpfscope.probes.uprobe.BufferCapture;
import io.bpfscope.probes.uprobe.UprobeDecoder;
import io.bpfscope.probes.uprobe.UprobeProbe;
import java.util.List;
import java.util.Optional;

/** Every probe bpfscope offers, in the order lists show them. Thread-safe. */
public final class ProbeCatalog {
    /** Kinds from event_header.h's {@code enum event_kind}. */
    public static final int EVENT_EXEC = 1;
    public static final int EVENT_EXIT = 2;
    public static final int EVENT_OPEN = 3;
    public static final int EVENT_TCP = 4;
    public static final int EVENT_TLS = 5;
    public static final int EVENT_UNIX = 6;
    public static final int EVENT_DNS = 7;
    public static final int EVENT_TRACEPOINT = 8;
    public static final int EVENT_UPROBE = 9;
    public static final int EVENT_BENCH = 15;

    private static final Probe EXEC = new TracepointProbe("exec",
            "process starts: filename, argv, parent; failed execs with their errno",
            EVENT_EXEC, new ExecDecoder(), List.of(
                    new TracepointProbe.Program("exec_enter", "syscalls", "sys_enter_execve", true),
                    new TracepointProbe.Program("execat_enter", "syscalls", "sys_enter_execveat", false),
                    new TracepointProbe.Program("exec_done", "sched", "sched_process_exec", true),
                    new TracepointProbe.Program("exec_exit", "syscalls", "sys_exit_execve", true),
                    new TracepointProbe.Program("execat_exit", "syscalls", "sys_exit_execveat", false)));

    /** Not listed for users: the ring-buffer benchmark's load generator. */
    public static final Probe BENCH = new TracepointProbe("bench",
            "benchmark load generator: K records per getpgid(K) of the benchmarking process",
            EVENT_BENCH, new BenchDecoder(), List.of(
                    new TracepointProbe.Program("bench_burst", "syscalls", "sys_enter_getpgid", true)));

    // One line per probe, in the order users see them.
    private static final List<Probe> USER_PROBES = List.of(
            EXEC,
            ExitProbe.PROBE,
            OpenProbe.PROBE,
            TcpProbe.PROBE,
            new TlsProbe(),
            io.bpfscope.probes.unix.UnixProbe.PROBE,
            io.bpfscope.probes.dns.DnsProbe.PROBE);

    private static final Probe[] BY_KIND = indexByKind();

    private ProbeCatalog() {
    }

    /** The probes users can pick. */
    public static List<Probe> all() {
        return USER_PROBES;
    }

    /**
     * A probe by the name users type; the parameterised forms
     * ({@code tracepoint:GROUP:NAME}, {@code uprobe:PATH:SYMBOL},
     * {@code uretprobe:PATH:SYMBOL}) give a new instance for that target.
     */
    public static Optional<Probe> find(String name) {
        try {
            if (name.startsWith(GenericTracepointProbe.PREFIX)) {
                return Optional.of(GenericTracepointProbe.of(name));
            }
            if (UprobeProbe.isSpec(name)) {
                return Optional.of(UprobeProbe.parse(name, BufferCapture.NONE));
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return USER_PROBES.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** A probe form that takes its attach point from the user. */
    public record Form(String syntax, String description) {
    }

    /** The parameterised forms, for list-probes and the GUI. */
    public static List<Form> forms() {
        return List.of(
                new Form("tracepoint:GROUP:NAME", "any tracepoint, fields decoded from its format (see: bpfscope tracepoints)"),
                new Form("uprobe:PATH:SYMBOL", "any user function at entry: arguments, a buffer (see: bpfscope symbols PATH)"),
                new Form("uretprobe:PATH:SYMBOL", "any user function at return: arguments, return value, latency"));
    }

    /**
     * The decoder for one probe instance's records as a capture header describes
     * it: from its {@link Probe#target()} and {@link Probe#format()} for the
     * parameterised probes, by kind for the others; empty for an unknown kind.
     * A format that does not parse gives a decoder that says why for every record.
     */
    public static Optional<EventDecoder> decoderFor(int kind, String target, String format) {
        if (kind == EVENT_TRACEPOINT && target != null && format != null) {
            int colon = target.indexOf(':');
            try {
                return Optional.of(new TracepointDecoder(TracepointFormat.parse(
                        target.substring(0, Math.max(0, colon)), target.substring(colon + 1), format)));
            } catch (TracepointFormatException e) {
                return Optional.of(new UndecodableDecoder(TracepointDecoder.LAYOUT, e.getMessage()));
            }
        }
        if (kind == EVENT_TRACEPOINT) {
            return Optional.of(new UndecodableDecoder(TracepointDecoder.LAYOUT,
                    "the capture header has no format for this tracepoint"));
        }
        if (kind == EVENT_UPROBE) {
            return Optional.of(target != null ? new UprobeDecoder(target) : new UprobeDecoder());
        }
        return byKind(kind).map(Probe::decoder);
    }

    /** Stands in for a decoder that could not be built: every record fails with the reason. */
    private record UndecodableDecoder(EventLayout layout, String reason) implements EventDecoder {
        @Override
        public DecodedEvent decode(java.nio.ByteBuffer record, int offset, int length) throws MalformedEventException {
            throw new MalformedEventException(reason);
        }
    }

    /** The probe whose events carry this kind, including internal ones. */
    public static Optional<Probe> byKind(int kind) {
        return kind >= 0 && kind < BY_KIND.length ? Optional.ofNullable(BY_KIND[kind]) : Optional.empty();
    }

    /** Every probe by its kind: decoding looks this up once per event. */
    private static Probe[] indexByKind() {
        Probe[] byKind = new Probe[EVENT_BENCH + 1];
        byKind[EVENT_BENCH] = BENCH;
        for (Probe probe : USER_PROBES) {
            byKind[probe.kind()] = probe;
        }
        return byKind;
    }
}
