package io.bpfscope.bridge.btf;

import io.bpfscope.bridge.elf.ElfFile;
import io.bpfscope.bridge.elf.ElfSection;
import io.bpfscope.bridge.elf.ElfSymbol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fills in what clang leaves out of a BPF object's DATASECs: their size and each variable's
 * offset are 0 until linking, so they are taken from the ELF section header and the symbol
 * table, as libbpf's {@code btf_fixup_datasec} does before load.
 */
final class DataSectionFixup {

    private DataSectionFixup() {
    }

    static Map<String, DataSection> apply(Map<String, DataSection> sections, ElfFile elf) {
        Map<String, DataSection> fixed = new LinkedHashMap<>();
        for (DataSection section : sections.values()) {
            fixed.put(section.name(), needsFixup(section) ? placed(section, elf) : section);
        }
        return fixed;
    }

    private static boolean needsFixup(DataSection section) {
        // .kconfig and .ksyms hold externs that libbpf places at load time; they have no ELF section.
        return section.size() == 0 && !section.name().equals(".kconfig") && !section.name().equals(".ksyms");
    }

    private static DataSection placed(DataSection section, ElfFile elf) {
        Optional<ElfSection> header = elf.sectionHeader(section.name());
        if (header.isEmpty()) {
            return section;
        }
        List<DataSection.Variable> variables = new ArrayList<>();
        for (DataSection.Variable variable : section.variables()) {
            long offset = elf.symbols().stream()
                    .filter(s -> s.type() == ElfSymbol.STT_OBJECT && s.name().equals(variable.name()))
                    .mapToLong(ElfSymbol::value)
                    .findFirst()
                    .orElse(variable.offset());
            variables.add(new DataSection.Variable(variable.name(), (int) offset, variable.size()));
        }
        return new DataSection(section.name(), (int) header.get().size(), variables);
    }
}
