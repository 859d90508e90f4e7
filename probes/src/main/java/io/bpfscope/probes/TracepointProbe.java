package io.bpfscope.probes;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.BpfLink;
import io.bpfscope.bridge.BpfObject;
import io.bpfscope.bridge.TraceFs;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A probe made of tracepoint programs ({@code SEC("tracepoint/GROUP/NAME")}).
 * Optional tracepoints this kernel lacks are left out before load;
 * a missing required one makes the probe unavailable, with the reason.
 */
public class TracepointProbe implements Probe {
    /** A program and the tracepoint it attaches to. */
    public record Program(String program, String group, String event, boolean required) {
        public String attachPoint() {
            return "tracepoint:" + group + ":" + event;
        }
    }

    private final String name;
    private final String description;
    private final int kind;
    private final EventDecoder decoder;
    private final ProbeDeclaration declaration;
    private final List<Program> programs;

    public TracepointProbe(String name, String description, int kind, EventDecoder decoder,
                           ProbeDeclaration declaration, List<Program> programs) {
        this.name = name;
        this.description = description;
        this.kind = kind;
        this.decoder = decoder;
        this.declaration = declaration;
        this.programs = List.copyOf(programs);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<String> attachPoints() {
        return programs.stream().map(Program::attachPoint).toList();
    }

    @Override
    public int kind() {
        return kind;
    }

    @Override
    public EventDecoder decoder() {
        return decoder;
    }

    @Override
    public ProbeDeclaration declaration() {
        return declaration;
    }

    @Override
    public String objectName() {
        return name + ".bpf.o";
    }

    public List<Program> programs() {
        return programs;
    }

    @Override
    public Availability availability() {
        for (Program p : programs) {
            if (p.required && !TraceFs.hasTracepoint(p.group, p.event)) {
                return Availability.no("this kernel has no tracepoint " + p.group + ":" + p.event);
            }
        }
        return Availability.yes();
    }

    @Override
    public void configure(BpfObject object, ProbeOptions options) throws BpfException {
        for (Program p : programs) {
            if (!p.required && !TraceFs.hasTracepoint(p.group, p.event)) {
                object.program(p.program).setAutoload(false);
            }
        }
    }

    @Override
    public List<BpfLink> attach(BpfObject object, ProbeOptions options, Consumer<String> warnings) throws BpfException {
        List<BpfLink> links = new ArrayList<>();
        try {
            for (Program p : programs) {
                if (!TraceFs.hasTracepoint(p.group, p.event)) {
                    if (p.required) {
                        throw BpfException.of("attach tracepoint", p.group + ":" + p.event, 2, "");
                    }
                    warnings.accept(name + ": skipped " + p.attachPoint() + " (not in this kernel)");
                    continue;
                }
                links.add(object.program(p.program).attachTracepoint(p.group, p.event));
            }
        } catch (BpfException e) {
            links.forEach(BpfLink::close);
            throw e;
        }
        return links;
    }
}
