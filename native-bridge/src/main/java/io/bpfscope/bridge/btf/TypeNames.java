package io.bpfscope.bridge.btf;

import java.util.ArrayList;
import java.util.List;

/**
 * Spells BTF types the way C code names them: {@code __u32}, {@code char[16]},
 * {@code struct task_struct *}, {@code int (*)(struct sock *, int)}. Typedef names are kept,
 * since they say what a field means; const, volatile, restrict and type tags are dropped,
 * since they change neither size nor layout.
 */
final class TypeNames {
    /** Deep enough for any real declaration; a malformed cycle through prototypes stops here. */
    private static final int MAX_DEPTH = 32;

    private TypeNames() {
    }

    static String of(TypeTable types, int id) {
        return name(types, id, 0);
    }

    private static String name(TypeTable types, int id, int depth) {
        if (depth > MAX_DEPTH) {
            return "...";
        }
        return switch (types.kind(id)) {
            case VOID -> "void";
            case INT, FLOAT, TYPEDEF, FUNC, VAR, DATASEC -> types.name(id);
            case STRUCT -> tagged("struct", types, id);
            case UNION -> tagged("union", types, id);
            case ENUM, ENUM64 -> tagged("enum", types, id);
            case FWD -> tagged(types.kindFlag(id) ? "union" : "struct", types, id);
            case VOLATILE, CONST, RESTRICT, TYPE_TAG, DECL_TAG -> name(types, types.sizeOrType(id), depth + 1);
            case PTR -> pointer(types, types.sizeOrType(id), depth + 1);
            case ARRAY -> array(types, id, depth + 1);
            case FUNC_PROTO -> prototype(types, id, "", depth + 1);
        };
    }

    private static String tagged(String tag, TypeTable types, int id) {
        String name = types.name(id);
        return tag + " " + (name.isEmpty() ? "{...}" : name);
    }

    private static String pointer(TypeTable types, int target, int depth) {
        int unqualified = target;
        while (types.kind(unqualified).isModifier() && types.kind(unqualified) != BtfKind.TYPEDEF) {
            unqualified = types.sizeOrType(unqualified);
        }
        if (types.kind(unqualified) == BtfKind.FUNC_PROTO) {
            return prototype(types, unqualified, "(*)", depth);
        }
        String pointee = name(types, target, depth);
        return pointee.endsWith("*") ? pointee + "*" : pointee + " *";
    }

    /** C writes the outermost dimension first: {@code int[2][3]} is an array of 2 arrays of 3. */
    private static String array(TypeTable types, int id, int depth) {
        StringBuilder dimensions = new StringBuilder();
        int element = id;
        while (types.kind(element) == BtfKind.ARRAY) {
            long length = Integer.toUnsignedLong(types.fixedWord(element, 2));
            dimensions.append('[').append(length == 0 ? "" : String.valueOf(length)).append(']');
            element = types.fixedWord(element, 0);
        }
        return name(types, element, depth) + dimensions;
    }

    private static String prototype(TypeTable types, int id, String declarator, int depth) {
        List<String> parameters = new ArrayList<>();
        for (int i = 0; i < types.vlen(id); i++) {
            int type = types.entryWord(id, i, 1);
            // A last parameter of type void is how BTF marks "...".
            parameters.add(type == 0 && i == types.vlen(id) - 1 ? "..." : name(types, type, depth + 1));
        }
        String result = name(types, types.sizeOrType(id), depth + 1);
        return result + " " + declarator + "(" + (parameters.isEmpty() ? "void" : String.join(", ", parameters)) + ")";
    }
}
