package io.bpfscope.bridge.elf;

/**
 * One section header, as in {@code readelf -S}. {@code type} is the raw {@code sh_type}
 * (1 PROGBITS, 2 SYMTAB, 3 STRTAB, 8 NOBITS, 11 DYNSYM, ...); {@code link} and {@code info}
 * keep their type-specific meaning. Immutable.
 */
public record ElfSection(
        String name, int type, long flags, long address, long offset, long size,
        int link, int info, long entrySize) {

    static final int SHT_SYMTAB = 2;
    static final int SHT_STRTAB = 3;
    static final int SHT_NOBITS = 8;
    static final int SHT_DYNSYM = 11;
    static final int SHT_GNU_HASH = 0x6ffffff6;
    static final int SHT_GNU_VERDEF = 0x6ffffffd;
    static final int SHT_GNU_VERSYM = 0x6fffffff;

    /** Whether the section occupies bytes in the file ({@code .bss} does not). */
    public boolean hasFileData() {
        return type != SHT_NOBITS;
    }
}
