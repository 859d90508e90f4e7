package io.bpfscope.cli;

import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeCatalog;
import io.bpfscope.probes.ProbeOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** The probe choice and in-kernel filters shared by commands that attach probes. */
public final class ProbeSelection {
    @Option(names = {"-p", "--probe"}, required = true, paramLabel = "NAME",
            description = "A probe to attach (repeat for more): see list-probes.")
    List<String> probes = new ArrayList<>();

    @Option(names = "--pid", paramLabel = "PID", description = "Only this process (tgid).")
    int pid;

    @Option(names = "--tid", paramLabel = "TID", description = "Only this thread.")
    int tid;

    @Option(names = "--uid", paramLabel = "UID", description = "Only this user id.")
    int uid = ProbeOptions.ANY_UID;

    @Option(names = "--comm", paramLabel = "NAME", description = "Only tasks with this command name (up to 15 characters).")
    String comm = "";

    @Option(names = "--max-payload", paramLabel = "SIZE", converter = Units.SizeConverter.class,
            description = "Payload bytes kept per event (default 32K).")
    long maxPayload = ProbeOptions.DEFAULT_MAX_PAYLOAD;

    @Option(names = "--lib", paramLabel = "PATH",
            description = "A library or binary for uprobe probes (tls) to trace besides those found (repeat for more).")
    List<java.nio.file.Path> libraries = new ArrayList<>();

    public List<Probe> resolve() throws UserError {
        List<Probe> chosen = new ArrayList<>();
        for (String name : probes) {
            for (String part : name.split(",")) {
                Probe probe = ProbeCatalog.find(part.trim()).orElseThrow(() -> new UserError(ExitCodes.USAGE,
                        "no probe named '" + part.trim() + "'; the probes are: "
                                + ProbeCatalog.all().stream().map(Probe::name).collect(Collectors.joining(", "))));
                if (!chosen.contains(probe)) {
                    chosen.add(probe);
                }
            }
        }
        return chosen;
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
                .withMaxPayload((int) maxPayload).withLibraries(libraries);
    }
}
