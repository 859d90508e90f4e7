package io.bpfscope.bridge.elf;

/**
 * One program header, as in {@code readelf -l}. {@code type} is the raw {@code p_type};
 * {@code flags} combines {@link #PF_X}, {@link #PF_W} and {@link #PF_R}. Immutable.
 */
public record ElfSegment(int type, int flags, long offset, long vaddr, long fileSize, long memSize) {

    public static final int PT_LOAD = 1;
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    public boolean isLoad() {
        return type == PT_LOAD;
    }

    public boolean isExecutable() {
        return (flags & PF_X) != 0;
    }

    /** Whether {@code address} is backed by bytes of the file in this segment. */
    public boolean containsFileBacked(long address) {
        // Unsigned: addresses of high-half kernel images would be negative as longs.
        return Long.compareUnsigned(address, vaddr) >= 0
                && Long.compareUnsigned(address - vaddr, fileSize) < 0;
    }
}
