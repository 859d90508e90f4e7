package io.bpfscope.cli;

import io.bpfscope.bridge.KernelFeatureMissingException;
import io.bpfscope.bridge.LibBpf;
import io.bpfscope.bridge.TraceFs;
import io.bpfscope.probes.Availability;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.functop.Functop;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code bpfscope list-probes}: what can be traced here, and why not where not. */
@Command(name = "list-probes", mixinStandardHelpOptions = true,
        description = "List the probes, where they attach, and whether they can attach on this host.")
public final class ListProbesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        String hostProblem = hostProblem();
        System.out.printf("%-8s %-10s %s%n", "PROBE", "STATUS", "DESCRIPTION / ATTACH POINTS");
        for (Probe probe : ProbeCatalog.all()) {
            Availability availability = hostProblem == null ? probe.availability() : Availability.no(hostProblem);
            System.out.printf("%-8s %-10s %s%n", probe.name(), availability.available() ? "ready" : "unavailable",
                    probe.description());
            System.out.printf("%-8s %-10s   %s%n", "", "", String.join(", ", probe.attachPoints()));
            if (!availability.available()) {
                System.out.printf("%-8s %-10s   why: %s%n", "", "", availability.reason());
            }
        }
        System.out.println();
        System.out.println("Probes on a target you choose (give them to record -p):");
        for (ProbeCatalog.Form form : ProbeCatalog.forms()) {
            System.out.printf("  %-24s %s%n", form.syntax(), form.description());
        }
        System.out.println("  and: bpfscope functop (--pid N | --lib PATH) --match REGEX   function latency, live");
        Availability functop = hostProblem == null ? Functop.availability() : Availability.yes();
        if (!functop.available()) {
            System.out.println("       functop unavailable; why: " + functop.reason());
        }
        return ExitCodes.OK;
    }

    /** A reason no probe can attach here (not root, no libbpf, no tracefs), or null. */
    static String hostProblem() {
        // Asked first, from /proc: a user's window or list-probes then never loads JNA and libbpf at all.
        if (!io.bpfscope.io.InvokingUser.effectivelyRoot()) {
            return "loading BPF needs root: run with sudo (or grant CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN)";
        }
        try {
            LibBpf.load();
        } catch (KernelFeatureMissingException e) {
            return e.getMessage();
        }
        try {
            TraceFs.root();
        } catch (KernelFeatureMissingException e) {
            return e.getMessage();
        }
        return null;
    }
}
