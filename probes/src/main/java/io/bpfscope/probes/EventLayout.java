package io.bpfscope.probes;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each field of a C event struct sits, as the Java decoder reads it.
 * Written into capture headers (so a file says what its records hold) and
 * checked against the BTF of the compiled object by a test, so C and Java
 * cannot drift apart silently.
 */
public record EventLayout(String struct, int fixedSize, List<Field> fields) {
    /** A field: name in C, byte offset, byte size. */
    public record Field(String name, int offset, int size) {
    }

    public static Builder struct(String name, int fixedSize) {
        return new Builder(name, fixedSize);
    }

    /**
     * Where a decoder reads field {@code name}, as {@code width} bytes. Decoders keep these in
     * constants, so the offsets they read are the ones the BTF test checks; a width that is not
     * the field's size (the C type changed) fails when the decoder class loads.
     */
    public int offsetOf(String name, int width) {
        Field field = field(name);
        if (field.size != width) {
            throw new IllegalStateException(struct + "." + name + " is " + field.size + " bytes; the decoder reads "
                    + width + ": change the decoder with the C struct");
        }
        return field.offset;
    }

    public Field field(String name) {
        return fields.stream().filter(f -> f.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(struct + " has no field " + name));
    }

    /** Builds a layout field by field. */
    public static final class Builder {
        private final String struct;
        private final int fixedSize;
        private final List<Field> fields = new ArrayList<>();

        private Builder(String struct, int fixedSize) {
            this.struct = struct;
            this.fixedSize = fixedSize;
        }

        public Builder field(String name, int offset, int size) {
            fields.add(new Field(name, offset, size));
            return this;
        }

        public EventLayout build() {
            return new EventLayout(struct, fixedSize, List.copyOf(fields));
        }
    }
}
