package io.bpfscope.probes.catalog;

import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.EventLayout;
import io.bpfscope.probes.MalformedEventException;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeDeclaration;
import io.bpfscope.probes.bench.BenchProbe;
import io.bpfscope.probes.dns.DnsProbe;
import io.bpfscope.probes.exec.ExecProbe;
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
import io.bpfscope.probes.unix.UnixProbe;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every probe bpfscope offers, registered one line each; the rest of
 * bpfscope finds probes, decoders and {@link ProbeDeclaration}s here and
 * names none. Thread-safe.
 */
public final class ProbeCatalog {
    // The probes users pick, one line per probe, in the order lists show them.
    private static final List<Probe> USER_PROBES = List.of(
            ExecProbe.PROBE,
            ExitProbe.PROBE,
            io.bpfscope.probes.signal.SignalProbe.PROBE,
            OpenProbe.PROBE,
            TcpProbe.PROBE,
            new TlsProbe(),
            new io.bpfscope.probes.jsse.JsseProbe(),
            UnixProbe.PROBE,
            DnsProbe.PROBE);

    // Probes users do not pick, whose records still decode: one line each.
    private static final List<Probe> INTERNAL_PROBES = List.of(
            BenchProbe.PROBE);

    /** Kinds are small (event_header.h): a table this long indexes every one. */
    private static final int KIND_LIMIT = 64;

    private static final Map<String, Probe> BY_NAME = indexByName();
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

    /**
     * As {@link #find(String)}, for a probe made elsewhere with {@link Probe#parameters()}
     * (the capture helper rebuilds the window's probes so).
     *
     * @throws IllegalArgumentException when the parameters do not fit the probe
     */
    public static Optional<Probe> find(String name, Map<String, String> parameters) {
        if (UprobeProbe.isSpec(name) && parameters != null && !parameters.isEmpty()) {
            return Optional.of(UprobeProbe.parse(name, BufferCapture.fromParameters(parameters)));
        }
        return find(name);
    }

    /** The host query {@code name} a probe declares (e.g. tls's {@code tls-coverage}), if one does. */
    public static Optional<io.bpfscope.probes.ProbeDeclaration.HostQuery> hostQuery(String name) {
        return USER_PROBES.stream().map(p -> p.declaration().hostQueries().get(name)).filter(java.util.Objects::nonNull)
                .findFirst();
    }

    /** A probe users do not pick (the benchmark's), by name. */
    public static Optional<Probe> internal(String name) {
        return INTERNAL_PROBES.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * The declaration of the probe a record names ({@code DecodedRecord.probe()}):
     * a registered probe's, a parameterised form's ({@code tracepoint:...},
     * {@code uprobe:...}), or {@link ProbeDeclaration#NONE} for a name this build
     * does not know. Cheap: views and exporters call it per event.
     */
    public static ProbeDeclaration declaration(String probeName) {
        Probe probe = BY_NAME.get(probeName);
        if (probe != null) {
            return probe.declaration();
        }
        if (probeName.startsWith(GenericTracepointProbe.PREFIX) || probeName.equals(KIND_NAMES.get(EventKind.TRACEPOINT))) {
            return GenericTracepointProbe.DECLARATION;
        }
        if (UprobeProbe.isSpec(probeName) || probeName.equals(KIND_NAMES.get(EventKind.UPROBE))) {
            return UprobeProbe.DECLARATION;
        }
        return ProbeDeclaration.NONE;
    }

    /** Every declaration this build has: the registered probes', then the parameterised forms'. */
    public static List<ProbeDeclaration> declarations() {
        List<ProbeDeclaration> all = new java.util.ArrayList<>();
        USER_PROBES.forEach(p -> all.add(p.declaration()));
        INTERNAL_PROBES.forEach(p -> all.add(p.declaration()));
        all.add(GenericTracepointProbe.DECLARATION);
        all.add(UprobeProbe.DECLARATION);
        return all;
    }

    /**
     * The name a record of this kind goes by when its capture does not say
     * (its header entry was lost): the probe's, or the form's family name.
     */
    public static Optional<String> nameOfKind(int kind) {
        return byKind(kind).map(Probe::name).or(() -> Optional.ofNullable(KIND_NAMES.get(kind)));
    }

    /** The parameterised forms' kinds, by the name their records have without a target. */
    private static final Map<Integer, String> KIND_NAMES = Map.of(
            EventKind.TRACEPOINT, "tracepoint",
            EventKind.UPROBE, "uprobe");

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
        return decoderFor(kind, target, format, null);
    }

    /** As {@link #decoderFor(int, String, String)}, for records laid out as {@code recorded} (the header's; null: now). */
    public static Optional<EventDecoder> decoderFor(int kind, String target, String format, EventLayout recorded) {
        if (kind == EventKind.TRACEPOINT && target != null && format != null) {
            int colon = target.indexOf(':');
            try {
                return Optional.of(new TracepointDecoder(TracepointFormat.parse(
                        target.substring(0, Math.max(0, colon)), target.substring(colon + 1), format)));
            } catch (TracepointFormatException e) {
                return Optional.of(new UndecodableDecoder(TracepointDecoder.LAYOUT, e.getMessage()));
            }
        }
        if (kind == EventKind.TRACEPOINT) {
            return Optional.of(new UndecodableDecoder(TracepointDecoder.LAYOUT,
                    "the capture header has no format for this tracepoint"));
        }
        if (kind == EventKind.UPROBE) {
            return Optional.of(target != null ? new UprobeDecoder(target) : new UprobeDecoder());
        }
        return byKind(kind).map(probe -> probe.decoder(recorded));
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
        Probe[] byKind = new Probe[KIND_LIMIT];
        for (Probe probe : registered()) {
            if (byKind[probe.kind()] != null) {
                throw new IllegalStateException(probe.name() + " and " + byKind[probe.kind()].name()
                        + " both have kind " + probe.kind() + ": give each probe its own in event_header.h and EventKind");
            }
            byKind[probe.kind()] = probe;
        }
        return byKind;
    }

    private static Map<String, Probe> indexByName() {
        Map<String, Probe> byName = new HashMap<>();
        for (Probe probe : registered()) {
            if (byName.put(probe.name(), probe) != null) {
                throw new IllegalStateException("two probes are called " + probe.name());
            }
        }
        return byName;
    }

    private static List<Probe> registered() {
        List<Probe> all = new java.util.ArrayList<>(USER_PROBES);
        all.addAll(INTERNAL_PROBES);
        return all;
    }
}
