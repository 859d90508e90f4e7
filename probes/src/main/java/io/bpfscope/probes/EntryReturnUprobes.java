package io.bpfscope.probes;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.BpfLink;
import io.bpfscope.bridge.BpfObject;
import io.bpfscope.bridge.BpfProgram;
import io.bpfscope.bridge.elf.ElfFile;
import io.bpfscope.bridge.elf.ElfSymbolException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The entry and return uprobes of the functions a probe traces in one file,
 * as the dns probe (libc's resolver calls) and the tls probe (a TLS library's
 * reads and writes) attach them: each function the file defines gets its own
 * entry program and the probe's one return program, whose entry says which
 * function it was.
 */
public final class EntryReturnUprobes {
    /** A traced function, and the program that sees its entry. */
    public record Function(String symbol, String entryProgram) {
    }

    private EntryReturnUprobes() {
    }

    /**
     * Attaches both probes of every function in {@code functions} that
     * {@code elf} (the file at {@code path}) defines. A symbol whose offset
     * cannot be found is skipped with a warning, prefixed by the probe's name;
     * a failure to attach closes what was attached in this file and is thrown:
     * all or nothing per file. An empty list when the file defines none.
     *
     * @param pid the process to trace, or -1 for every process
     */
    public static List<BpfLink> attach(BpfObject object, BpfProgram returnProgram, ElfFile elf, String path,
                                       List<Function> functions, int pid, String probe, Consumer<String> warnings)
            throws BpfException {
        Map<String, Long> offsets = new LinkedHashMap<>();
        for (Function function : functions) {
            if (!elf.hasSymbol(function.symbol())) {
                continue;
            }
            try {
                offsets.put(function.symbol(), elf.uprobeOffset(function.symbol()));
            } catch (ElfSymbolException e) {
                warnings.accept(probe + ": skipped " + path + ":" + function.symbol() + ": " + e.getMessage());
            }
        }
        return attachAt(object, returnProgram, path, functions, offsets, pid);
    }

    /**
     * As {@link #attach}, at file offsets already found (symbol to offset, e.g. from
     * {@link ElfFile#functionOffsets}); the functions without one are skipped.
     */
    public static List<BpfLink> attachAt(BpfObject object, BpfProgram returnProgram, String path,
                                         List<Function> functions, Map<String, Long> offsets, int pid)
            throws BpfException {
        List<BpfLink> links = new ArrayList<>();
        try {
            for (Function function : functions) {
                Long offset = offsets.get(function.symbol());
                if (offset == null) {
                    continue;
                }
                String target = path + ":" + function.symbol();
                links.add(object.program(function.entryProgram()).attachUprobe(path, offset, pid, false, target));
                links.add(returnProgram.attachUprobe(path, offset, pid, true, target));
            }
        } catch (BpfException | RuntimeException e) {
            links.forEach(BpfLink::close);
            throw e;
        }
        return links;
    }
}
