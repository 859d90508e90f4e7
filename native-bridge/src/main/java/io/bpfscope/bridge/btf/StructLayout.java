package io.bpfscope.bridge.btf;

import java.util.List;
import java.util.Optional;

/**
 * The memory layout of a struct or union as the compiler laid it out. Members of anonymous
 * structs and unions are listed in place of their container, with offsets from the start of
 * this struct, because C code names them as if they were direct members. Immutable.
 *
 * @param size    {@code sizeof} in bytes
 * @param members in declaration order; union members and flattened anonymous unions overlap
 */
public record StructLayout(String name, int size, List<Member> members) {

    public StructLayout {
        members = List.copyOf(members);
    }

    /** The first member called {@code name}. */
    public Optional<Member> member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * One named member.
     *
     * @param bitOffset    from the start of the struct, in bits
     * @param bitfieldSize width in bits for a bitfield, 0 for an ordinary member
     * @param typeName     the C spelling, e.g. {@code __u32}, {@code char[16]}, {@code struct event_header},
     *                     {@code __u8[]}; typedef names are kept, qualifiers dropped
     * @param byteSize     size of the type after typedefs and qualifiers: that of the underlying
     *                     integer for a bitfield, 0 for a flexible array member
     */
    public record Member(String name, long bitOffset, int bitfieldSize, String typeName, int byteSize) {

        public boolean isBitfield() {
            return bitfieldSize != 0;
        }

        /** Byte offset of an ordinary member; for a bitfield, the byte holding its first bit. */
        public long byteOffset() {
            return bitOffset / 8;
        }
    }
}
