package io.bpfscope.probes.tracepoint;

import io.bpfscope.probes.EventKind;
import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.BpfLink;
import io.bpfscope.bridge.BpfObject;
import io.bpfscope.bridge.KernelFeatureMissingException;
import io.bpfscope.bridge.TraceFs;
import io.bpfscope.probes.Availability;
import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.FieldSpec;
import io.bpfscope.probes.ProbeDeclaration;
import io.bpfscope.probes.ProbeOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Any tracepoint, {@code tracepoint:GROUP:NAME}: tracepoint.bpf.o attached to
 * it, told by its format file how long records are and which syscall
 * arguments are strings to read. Several instances share the object type;
 * each loaded one has its own source id. Immutable and thread-safe; equal
 * when they name the same tracepoint.
 */
public final class GenericTracepointProbe implements Probe {
    public static final String PREFIX = "tracepoint:";
    /** A tracepoint's own fields come from its format: {@link io.bpfscope.probes.EventDecoder#fieldNames()}. */
    public static final ProbeDeclaration DECLARATION = ProbeDeclaration.builder()
            .field(FieldSpec.text("tracepoint", "GROUP:NAME of the tracepoint"))
            .field(FieldSpec.flag("record_truncated", "the record was longer than the probe copies"))
            .build();

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final String PROGRAM = "tracepoint_record";

    private final String group;
    private final String event;
    private final TracepointFormat format;
    private final String problem;
    private final TracepointDecoder decoder;

    private GenericTracepointProbe(String group, String event, TracepointFormat format, String problem) {
        this.group = group;
        this.event = event;
        this.format = format;
        this.problem = problem;
        this.decoder = format == null ? null : new TracepointDecoder(format);
    }

    /**
     * The probe for {@code tracepoint:GROUP:NAME}, reading its format from this host's tracefs.
     * A tracepoint this host lacks gives a probe that says so in {@link #availability()}.
     *
     * @throws IllegalArgumentException when {@code spec} is not of that form
     */
    public static GenericTracepointProbe of(String spec) {
        if (!spec.startsWith(PREFIX)) {
            throw new IllegalArgumentException("'" + spec + "' is not " + PREFIX + "GROUP:NAME");
        }
        String[] parts = spec.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 2 || !PART.matcher(parts[0]).matches() || !PART.matcher(parts[1]).matches()) {
            throw new IllegalArgumentException("'" + spec + "' is not " + PREFIX
                    + "GROUP:NAME, e.g. tracepoint:sched:sched_process_fork (see: bpfscope tracepoints)");
        }
        return of(parts[0], parts[1]);
    }

    /** The probe for {@code group:event} with its format file's text as given (read by someone who may read tracefs). */
    public static GenericTracepointProbe withFormat(String group, String event, String formatText) {
        try {
            return new GenericTracepointProbe(group, event, TracepointFormat.parse(group, event, formatText), null);
        } catch (TracepointFormatException e) {
            return new GenericTracepointProbe(group, event, null, e.getMessage());
        }
    }

    public static GenericTracepointProbe of(String group, String event) {
        try {
            String text = Files.readString(TraceFs.formatFile(group, event), StandardCharsets.UTF_8);
            return new GenericTracepointProbe(group, event, TracepointFormat.parse(group, event, text), null);
        } catch (KernelFeatureMissingException e) {
            // Said once: configure() names the tracepoint again when it refuses to load.
            return new GenericTracepointProbe(group, event, null, TraceFs.hasTracepoint(group, event) ? e.getMessage()
                    : "this kernel has no such tracepoint (see: bpfscope tracepoints)");
        } catch (IOException e) {
            return new GenericTracepointProbe(group, event, null,
                    "cannot read the format of " + group + ":" + event + ": " + e.getMessage());
        } catch (TracepointFormatException e) {
            return new GenericTracepointProbe(group, event, null, e.getMessage());
        }
    }

    /** A probe from a format already parsed (a capture header's, or a test's). */
    public static GenericTracepointProbe of(TracepointFormat format) {
        return new GenericTracepointProbe(format.group(), format.name(), format, null);
    }

    @Override
    public String name() {
        return PREFIX + group + ":" + event;
    }

    @Override
    public String description() {
        return "any tracepoint: its raw record, decoded with its format file";
    }

    @Override
    public List<String> attachPoints() {
        return List.of(name());
    }

    @Override
    public int kind() {
        return EventKind.TRACEPOINT;
    }

    /** The decoder for this tracepoint's records; throws if the tracepoint is not on this host. */
    @Override
    public ProbeDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public EventDecoder decoder() {
        if (decoder == null) {
            throw new IllegalStateException(problem);
        }
        return decoder;
    }

    @Override
    public String objectName() {
        return "tracepoint.bpf.o";
    }

    @Override
    public String target() {
        return group + ":" + event;
    }

    /** The format file's text: what a capture needs to decode these records elsewhere. */
    @Override
    public String format() {
        return format == null ? null : format.text();
    }

    /** The parsed format, or null when this host has no such tracepoint. */
    public TracepointFormat parsedFormat() {
        return format;
    }

    @Override
    public Availability availability() {
        return format == null ? Availability.no(problem) : Availability.yes();
    }

    @Override
    public void configure(BpfObject object, ProbeOptions options) throws BpfException {
        if (format == null) {
            throw new KernelFeatureMissingException("find tracepoint", target(), problem, "");
        }
        object.setConstant("record_fixed", format.fixedSize());
        List<TracepointFormat.Field> locs = TracepointDecoder.lengthFields(format);
        int relative = 0;
        for (int i = 0; i < locs.size(); i++) {
            object.setConstant("loc_off" + i, locs.get(i).offset());
            relative |= locs.get(i).relative() ? 1 << i : 0;
        }
        object.setConstant("loc_relative", relative);
        List<TracepointFormat.Field> strings = TracepointDecoder.userStringFields(format);
        for (int i = 0; i < strings.size(); i++) {
            object.setConstant("str_off" + i, strings.get(i).offset());
        }
    }

    @Override
    public List<BpfLink> attach(BpfObject object, ProbeOptions options, Consumer<String> warnings) throws BpfException {
        return List.of(object.program(PROGRAM).attachTracepoint(group, event));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenericTracepointProbe other && other.group.equals(group) && other.event.equals(event);
    }

    @Override
    public int hashCode() {
        return Objects.hash(group, event);
    }

    @Override
    public String toString() {
        return name();
    }
}
