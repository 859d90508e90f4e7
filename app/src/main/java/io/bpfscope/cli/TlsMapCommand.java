package io.bpfscope.cli;

import io.bpfscope.probes.tls.TlsCoverage;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code bpfscope tls-map}: which running processes use TLS, and whether the tls probe can see it. */
@Command(name = "tls-map", mixinStandardHelpOptions = true,
        description = "Scan running processes for libssl, libgnutls, NSS and OpenSSL/BoringSSL linked into "
                + "executables; say which the tls probe can trace, and why not where not.")
public final class TlsMapCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        List<TlsCoverage.Finding> findings = TlsCoverage.scan();
        if (findings.isEmpty()) {
            System.out.println("No running process uses a TLS library bpfscope knows (libssl, libgnutls, NSS) "
                    + "or has OpenSSL linked in." + (ListProbesCommand.hostProblem() != null
                    ? " Not root: other users' processes were not readable." : ""));
            return ExitCodes.OK;
        }
        System.out.printf("%7s  %-15s  %-16s  %-9s  %s%n", "PID", "COMM", "TLS", "TRACEABLE", "LIBRARY / WHY");
        for (TlsCoverage.Finding f : findings) {
            System.out.printf("%7d  %-15s  %-16s  %-9s  %s%n", f.pid(), TerminalText.escape(f.comm()),
                    TerminalText.escape(f.kind()), f.traceable() ? "yes" : "no", TerminalText.escape(f.library()));
            System.out.printf("%7s  %-15s  %-16s  %-9s  %s%n", "", "", "", "", TerminalText.escape(f.why()));
        }
        findings.stream().filter(TlsCoverage.Finding::traceable).findFirst().ifPresent(f -> System.out.println(
                "\nTo trace one: sudo bpfscope record -p tls --pid " + f.pid() + " --lib " + TerminalText.escape(f.attachTo())
                + " -o tls.bscap"));
        return ExitCodes.OK;
    }
}
