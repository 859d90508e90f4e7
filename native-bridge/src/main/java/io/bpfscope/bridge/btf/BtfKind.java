package io.bpfscope.bridge.btf;

/**
 * The BTF kinds of {@code include/uapi/linux/btf.h}, with the size of the data that follows
 * each 12-byte {@code struct btf_type}: a fixed part plus {@code vlen} entries. Knowing this
 * for every kind is what lets the reader step over kinds it does not otherwise use.
 */
enum BtfKind {
    VOID(0, 0),
    INT(4, 0),          // u32 encoding, bit offset, bit count
    PTR(0, 0),
    ARRAY(12, 0),       // struct btf_array: type, index_type, nelems
    STRUCT(0, 12),      // struct btf_member: name_off, type, offset
    UNION(0, 12),
    ENUM(0, 8),         // struct btf_enum: name_off, s32 val
    FWD(0, 0),
    TYPEDEF(0, 0),
    VOLATILE(0, 0),
    CONST(0, 0),
    RESTRICT(0, 0),
    FUNC(0, 0),
    FUNC_PROTO(0, 8),   // struct btf_param: name_off, type
    VAR(4, 0),          // struct btf_var: linkage
    DATASEC(0, 12),     // struct btf_var_secinfo: type, offset, size
    FLOAT(0, 0),
    DECL_TAG(4, 0),     // struct btf_decl_tag: s32 component_idx
    TYPE_TAG(0, 0),
    ENUM64(0, 12);      // struct btf_enum64: name_off, val_lo32, val_hi32

    private static final BtfKind[] BY_CODE = values();

    final int fixedBytes;
    final int entryBytes;

    BtfKind(int fixedBytes, int entryBytes) {
        this.fixedBytes = fixedBytes;
        this.entryBytes = entryBytes;
    }

    /** The kind numbered {@code code}, or null for 0 and for kinds newer than this reader. */
    static BtfKind of(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    static int maxCode() {
        return BY_CODE.length - 1;
    }

    int trailingBytes(int vlen) {
        return fixedBytes + vlen * entryBytes;
    }

    /** Kinds whose third word is a type id rather than a size. */
    boolean refersToType() {
        return switch (this) {
            case PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FUNC_PROTO, VAR, DECL_TAG, TYPE_TAG -> true;
            default -> false;
        };
    }

    /** Kinds that only decorate the type they refer to: same size, same layout. */
    boolean isModifier() {
        return switch (this) {
            case TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG -> true;
            default -> false;
        };
    }
}
