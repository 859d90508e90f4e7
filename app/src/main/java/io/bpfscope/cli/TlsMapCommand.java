package io.bpfscope.cli;

import io.bpfscope.probes.tls.TlsCoverage;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code bpfscope tls-map}: which running processes use TLS, what implementation, and whether the tls probe covers it. */
@Command(name = "tls-map", mixinStandardHelpOptions = true,
        description = "Scan running processes for the TLS they use — OpenSSL, BoringSSL, GnuTLS and NSS libraries, "
                + "OpenSSL/BoringSSL linked into executables, Go crypto/tls, rustls, Java (JSSE) — and say which "
                + "the tls probe covers, and why not where not.")
public final class TlsMapCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        List<TlsCoverage.Finding> findings = TlsCoverage.scan();
        if (findings.isEmpty()) {
            System.out.println("No running process uses a TLS bpfscope knows (OpenSSL, BoringSSL, GnuTLS, NSS, "
                    + "Go crypto/tls, rustls, Java)." + (ListProbesCommand.hostProblem() != null
                    ? " Not root: other users' processes were not readable." : ""));
            return ExitCodes.OK;
        }
        System.out.printf("%7s  %-15s  %-17s  %-7s  %s%n", "PID", "COMM", "TLS", "COVERED", "FILE / WHY");
        for (TlsCoverage.Finding f : findings) {
            System.out.printf("%7d  %-15s  %-17s  %-7s  %s%n", f.pid(), TerminalText.escape(f.comm()),
                    TerminalText.escape(f.kind()), f.traceable() ? "yes" : "no", TerminalText.escape(f.library()));
            System.out.printf("%7s  %-15s  %-17s  %-7s  %s%n", "", "", "", "", TerminalText.escape(f.why()));
        }
        findings.stream().filter(TlsCoverage.Finding::traceable).findFirst().ifPresent(f -> System.out.println(
                "\nThe tls probe finds these on its own: sudo bpfscope record -p tls [--pid " + f.pid()
                + "] -o tls.bscap"));
        return ExitCodes.OK;
    }
}
