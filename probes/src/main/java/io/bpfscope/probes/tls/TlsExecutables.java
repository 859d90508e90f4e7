package io.bpfscope.probes.tls;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.BpfLink;
import io.bpfscope.bridge.BpfObject;
import io.bpfscope.bridge.BpfProgram;
import io.bpfscope.bridge.elf.ElfFile;
import io.bpfscope.probes.EntryReturnUprobes;
import io.bpfscope.probes.ExecutableDiscovery;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.golang.GoBinary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The tls probe's uprobes in executables that carry a TLS library inside (OpenSSL or
 * BoringSSL linked statically, as in node) and Go programs with crypto/tls
 * ({@link GoTlsAttacher}): those running when the probe attaches and
 * those started while it runs, each file once ({@link ExecutableDiscovery}). Files the
 * probe already attached as libraries ({@code --lib}) are left alone. Closing it stops
 * the discovery, then detaches what it attached.
 */
final class TlsExecutables implements AutoCloseable {
    private final BpfObject object;
    private final BpfProgram exit;
    private final int pid;
    private final Set<ExecutableDiscovery.FileId> attachedAsLibraries;
    /** The C libraries' functions; Go's are found in the runtime's function table instead. */
    private static final Set<String> TLS_SYMBOLS = java.util.Arrays.stream(TlsFunction.values())
            .filter(f -> !f.isGo()).map(TlsFunction::symbol).collect(Collectors.toUnmodifiableSet());

    private final Consumer<String> warnings;
    private final List<BpfLink> links = new ArrayList<>();
    private ExecutableDiscovery discovery;

    private TlsExecutables(BpfObject object, int pid, Set<ExecutableDiscovery.FileId> attachedAsLibraries,
                           Consumer<String> warnings) throws BpfException {
        this.object = object;
        this.exit = object.program(TlsFunction.RETURN_PROGRAM);
        this.pid = pid;
        this.attachedAsLibraries = attachedAsLibraries;
        this.warnings = warnings;
    }

    /** Attaches to the running executables that define TLS functions, then keeps watching execs. */
    static TlsExecutables start(BpfObject object, ProbeOptions options, Consumer<String> warnings) throws BpfException {
        Set<ExecutableDiscovery.FileId> libraries = options.libraries().stream()
                .map(ExecutableDiscovery::fileId).flatMap(java.util.Optional::stream).collect(Collectors.toSet());
        TlsExecutables executables = new TlsExecutables(object, options.pid() > 0 ? options.pid() : -1, libraries,
                warnings);
        executables.discovery = ExecutableDiscovery.start("tls", executables::found, warnings);
        return executables;
    }

    /** One new executable file: its TLS functions (Go's crypto/tls, or a C library's) get the probe's uprobes. */
    private void found(ExecutableDiscovery.Executable executable) {
        if (attachedAsLibraries.contains(executable.file()) || (pid > 0 && !executable.pids().contains(pid))) {
            return;
        }
        ElfFile elf;
        Map<String, Long> offsets;
        try {
            elf = ElfFile.openHeaders(executable.path());
            if (elf.machine() != TlsProbe.hostMachine()) {
                return;
            }
            offsets = GoBinary.mayBeGo(elf) ? Map.of() : elf.functionOffsets(TLS_SYMBOLS);
        } catch (IOException | RuntimeException e) {
            return; // not ELF (a script's interpreter is reported on its own), or gone
        }
        try {
            List<BpfLink> attached = offsets.isEmpty()
                    ? GoTlsAttacher.attach(object, executable.path(), elf, executable.shown(), pid, warnings)
                    : EntryReturnUprobes.attachAt(object, exit, executable.path().toString(), TlsProbe.FUNCTIONS,
                            offsets, pid);
            synchronized (links) {
                links.addAll(attached);
            }
        } catch (BpfException e) {
            warnings.accept("tls: skipped " + executable.shown() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (discovery != null) {
            discovery.close();
        }
        synchronized (links) {
            links.forEach(BpfLink::close);
            links.clear();
        }
    }
}
