package io.bpfscope.bridge.elf;

import java.util.List;
import java.util.stream.Collectors;

/** Picks the one function a {@link SymbolName} means, or says precisely why there is none. */
final class FunctionLookup {

    private FunctionLookup() {
    }

    static ElfSymbol find(List<ElfSymbol> symbols, SymbolName wanted, String file) throws ElfSymbolException {
        List<ElfSymbol> candidates = symbols.stream().filter(ElfSymbol::isFunction).filter(wanted::matches).toList();
        if (candidates.isEmpty()) {
            throw new ElfSymbolException("no function " + wanted + " in " + file + otherVersions(symbols, wanted));
        }
        if (addressCount(candidates) == 1) {
            return candidates.get(0);
        }
        if (!wanted.hasVersion()) {
            // What the dynamic linker binds a plain reference to.
            List<ElfSymbol> defaults = candidates.stream().filter(s -> s.isVersioned() && s.defaultVersion()).toList();
            if (addressCount(defaults) == 1) {
                return defaults.get(0);
            }
        }
        String listed = candidates.stream()
                .map(s -> String.format("%s at 0x%x", s.qualifiedName(), s.value()))
                .distinct()
                .collect(Collectors.joining(", "));
        boolean versioned = candidates.stream().anyMatch(ElfSymbol::isVersioned);
        throw new ElfSymbolException("function " + wanted + " in " + file + " is ambiguous: " + listed
                + (versioned ? "; give name@VERSION to choose one"
                             : "; they carry no versions, so attach by file offset instead"));
    }

    private static long addressCount(List<ElfSymbol> symbols) {
        return symbols.stream().mapToLong(ElfSymbol::value).distinct().count();
    }

    private static String otherVersions(List<ElfSymbol> symbols, SymbolName wanted) {
        if (!wanted.hasVersion()) {
            return "";
        }
        String others = symbols.stream()
                .filter(s -> s.isFunction() && s.name().equals(wanted.name()))
                .map(ElfSymbol::qualifiedName)
                .distinct()
                .collect(Collectors.joining(", "));
        return others.isEmpty() ? "" : " (it has " + others + ")";
    }
}
