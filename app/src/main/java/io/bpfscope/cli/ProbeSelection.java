package io.bpfscope.cli;

import io.bpfscope.probes.Probe;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.tracepoint.GenericTracepointProbe;
import io.bpfscope.probes.uprobe.BufferCapture;
import io.bpfscope.probes.uprobe.UprobeProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** The probe choice and in-kernel filters shared by commands that attach probes. */
public final class ProbeSelection {
    @Option(names = {"-p", "--probe"}, required = true, paramLabel = "NAME",
            description = "A probe to attach (repeat for more): see list-probes; also tracepoint:GROUP:NAME, "
                    + "uprobe:PATH:SYMBOL, uretprobe:PATH:SYMBOL.")
    List<String> probes = new ArrayList<>();

    @Option(names = "--pid", paramLabel = "PID", description = "Only this process (tgid).")
    int pid;

    @Option(names = "--tid", paramLabel = "TID", description = "Only this thread.")
    int tid;

    @Option(names = "--uid", paramLabel = "UID", description = "Only this user id.")
    int uid = ProbeOptions.ANY_UID;

    @Option(names = "--comm", paramLabel = "NAME", description = "Only tasks with this command name (up to 15 characters).")
    String comm = "";

    @Option(names = "--include-self", description = "Trace bpfscope too: this command and the processes it starts"
            + " (such as ldconfig), which the kernel filters leave out by default.")
    boolean includeSelf;

    @Option(names = "--max-payload", paramLabel = "SIZE", converter = Units.SizeConverter.class,
            description = "Payload bytes kept per event (default 32K).")
    long maxPayload = ProbeOptions.DEFAULT_MAX_PAYLOAD;

    @Option(names = "--lib", paramLabel = "PATH",
            description = "A library or binary for uprobe probes (tls) to trace besides those found (repeat for more).")
    List<java.nio.file.Path> libraries = new ArrayList<>();

    @Option(names = "--buffer-arg", paramLabel = "N",
            description = "uprobe/uretprobe: capture the buffer argument N (0-5, as arg0..arg5) points to as the payload.")
    Integer bufferArg;

    @Option(names = "--length-arg", paramLabel = "M|ret",
            description = "With --buffer-arg: the buffer's length is argument M (0-5), or the return value (ret, uretprobe only).")
    String lengthArg;

    @Option(names = "--length", paramLabel = "SIZE", converter = Units.SizeConverter.class,
            description = "With --buffer-arg: the buffer's length is SIZE bytes.")
    Long fixedLength;

    public List<Probe> resolve() throws UserError {
        BufferCapture buffer = buffer();
        List<Probe> chosen = new ArrayList<>();
        for (String name : probes) {
            // A uprobe's path may hold commas: only the other names are split.
            for (String part : UprobeProbe.isSpec(name.trim()) ? new String[] {name} : name.split(",")) {
                Probe probe = find(part.trim(), buffer);
                if (!chosen.contains(probe)) {
                    chosen.add(probe);
                }
            }
        }
        if (buffer.enabled() && chosen.stream().noneMatch(p -> p instanceof UprobeProbe)) {
            throw new UserError(ExitCodes.USAGE, "--buffer-arg is for uprobe:PATH:SYMBOL and uretprobe:PATH:SYMBOL probes");
        }
        return chosen;
    }

    private static Probe find(String name, BufferCapture buffer) throws UserError {
        try {
            if (name.startsWith(GenericTracepointProbe.PREFIX)) {
                return GenericTracepointProbe.of(name);
            }
            if (UprobeProbe.isSpec(name)) {
                UprobeProbe probe = UprobeProbe.parse(name, buffer);
                if (buffer.lengthArg() == BufferCapture.LENGTH_FROM_RETURN && !probe.retprobe()) {
                    throw new UserError(ExitCodes.USAGE, "--length-arg ret needs the return value: use uretprobe:"
                            + probe.target());
                }
                return probe;
            }
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        return ProbeCatalog.find(name).orElseThrow(() -> new UserError(ExitCodes.USAGE,
                "no probe named '" + name + "'; the probes are: "
                        + ProbeCatalog.all().stream().map(Probe::name).collect(Collectors.joining(", "))
                        + ", " + ProbeCatalog.forms().stream().map(ProbeCatalog.Form::syntax)
                                .collect(Collectors.joining(", "))));
    }

    /** The uprobe buffer the options describe, or none. */
    BufferCapture buffer() throws UserError {
        if (bufferArg == null) {
            if (lengthArg != null || fixedLength != null) {
                throw new UserError(ExitCodes.USAGE, "--length-arg and --length need --buffer-arg N: the argument that points to the buffer");
            }
            return BufferCapture.NONE;
        }
        if (bufferArg < 0 || bufferArg > 5) {
            throw new UserError(ExitCodes.USAGE, "--buffer-arg must be 0 to 5 (arg0..arg5), not " + bufferArg);
        }
        if ((lengthArg == null) == (fixedLength == null)) {
            throw new UserError(ExitCodes.USAGE, "--buffer-arg needs its length: --length-arg M (0-5 or ret) or --length SIZE, one of them");
        }
        if (fixedLength != null) {
            if (fixedLength <= 0 || fixedLength > 0xffff_ffffL) {
                throw new UserError(ExitCodes.USAGE, "--length must be between 1 and 4G, not " + fixedLength);
            }
            return BufferCapture.fixed(bufferArg, fixedLength);
        }
        if (lengthArg.equals("ret")) {
            return BufferCapture.lengthFromReturn(bufferArg);
        }
        try {
            int m = Integer.parseInt(lengthArg);
            if (m < 0 || m > 5) {
                throw new NumberFormatException();
            }
            return BufferCapture.lengthFromArg(bufferArg, m);
        } catch (NumberFormatException e) {
            throw new UserError(ExitCodes.USAGE, "--length-arg must be 0 to 5 (arg0..arg5) or ret, not '" + lengthArg + "'");
        }
    }

    public ProbeOptions options() throws UserError {
        if (comm.length() > 15) {
            throw new UserError(ExitCodes.USAGE, "--comm '" + comm + "' is longer than the kernel's 15 characters");
        }
        if (maxPayload <= 0 || maxPayload > ProbeOptions.DEFAULT_MAX_PAYLOAD) {
            throw new UserError(ExitCodes.USAGE, "--max-payload must be between 1 and 32K, not " + maxPayload);
        }
        for (java.nio.file.Path library : libraries) {
            if (!java.nio.file.Files.isRegularFile(library)) {
                throw new UserError(ExitCodes.USAGE, "--lib " + library + ": no such file");
            }
        }
        return ProbeOptions.defaults().withPid(pid).withTid(tid).withUid(uid).withComm(comm)
                .withMaxPayload((int) maxPayload).withLibraries(libraries).withIncludeSelf(includeSelf);
    }
}
