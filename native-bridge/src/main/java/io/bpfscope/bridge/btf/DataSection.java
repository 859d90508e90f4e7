package io.bpfscope.bridge.btf;

import java.util.List;
import java.util.Optional;

/**
 * A BTF {@code DATASEC}: the global variables of one ELF section such as {@code .rodata},
 * {@code .data} or {@code .bss}, where each sits and how big it is. Immutable.
 *
 * @param size section size in bytes; 0 when compiled but not yet placed (see {@link Btf#fromElf})
 */
public record DataSection(String name, int size, List<Variable> variables) {

    public DataSection {
        variables = List.copyOf(variables);
    }

    public Optional<Variable> variable(String name) {
        return variables.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** One variable of the section, at {@code offset} bytes from its start. */
    public record Variable(String name, int offset, int size) {
    }
}
