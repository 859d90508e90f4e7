package io.bpfscope.capture.helper;

import io.bpfscope.bridge.KernelFeatureMissingException;
import io.bpfscope.bridge.TraceFs;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.util.Map;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the window shows about the host that only root may read: the tracepoints (tracefs is
 * root's) and the host queries probes declare (tls's coverage map reads other users'
 * /proc/PID/maps). Read here when the window is root, asked of the capture helper when it runs
 * as the user ({@link HelperProtocol} "query").
 */
public interface HostFacts {
    /** A tracepoint group or name: no path separators, never {@code .} or {@code ..}. */
    Pattern TRACEPOINT_PART = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    /** Every tracepoint as {@code group:name}, sorted. */
    List<String> tracepoints() throws IOException;

    /** The format file of {@code group:name}. */
    String tracepointFormat(String tracepoint) throws IOException;

    /** A probe's host query (ProbeDeclaration.HostQuery) by name: its rows of plain values. */
    List<Map<String, Object>> probeQuery(String name) throws IOException;

    /** Read directly, with this process's rights. */
    static HostFacts local() {
        return new HostFacts() {
            @Override
            public List<String> tracepoints() throws IOException {
                try {
                    return TraceFs.tracepoints();
                } catch (KernelFeatureMissingException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public String tracepointFormat(String tracepoint) throws IOException {
                String[] parts = tracepoint.split(":", -1);
                if (parts.length != 2 || !TRACEPOINT_PART.matcher(parts[0]).matches()
                        || !TRACEPOINT_PART.matcher(parts[1]).matches()) {
                    throw new IOException("'" + tracepoint + "' is not GROUP:NAME");
                }
                try {
                    return Files.readString(TraceFs.formatFile(parts[0], parts[1]), StandardCharsets.UTF_8);
                } catch (KernelFeatureMissingException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public List<Map<String, Object>> probeQuery(String name) throws IOException {
                return ProbeCatalog.hostQuery(name).orElseThrow(() -> new IOException("no probe answers '" + name + "'"))
                        .rows();
            }
        };
    }
}
