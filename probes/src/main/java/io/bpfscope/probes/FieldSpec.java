package io.bpfscope.probes;

/**
 * One field a probe's events report in {@link DecodedEvent#fields()}: the name
 * filters, JSON Lines and CSV use, what it holds, its unit and one line for
 * the docs and the filter bar's completion. Immutable.
 *
 * @param unit {@code ns}, {@code us}, {@code bytes}... or empty
 */
public record FieldSpec(String name, Type type, String unit, String doc) {
    /** What the field's values are. */
    public enum Type {
        /** Integers. */
        NUMBER,
        /** Text (hex ids such as {@code 0xffff8881...} too). */
        TEXT,
        /** true or false. */
        FLAG,
        /** A list of texts (exec's argv, dns answers). */
        LIST
    }

    /** Compiled once: String.matches compiled it again for each of the catalogue's fields at every start. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9_]*");

    public FieldSpec {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a field name is lower case, digits and _: " + name);
        }
    }

    public static FieldSpec number(String name, String unit, String doc) {
        return new FieldSpec(name, Type.NUMBER, unit, doc);
    }

    public static FieldSpec number(String name, String doc) {
        return new FieldSpec(name, Type.NUMBER, "", doc);
    }

    public static FieldSpec text(String name, String doc) {
        return new FieldSpec(name, Type.TEXT, "", doc);
    }

    public static FieldSpec flag(String name, String doc) {
        return new FieldSpec(name, Type.FLAG, "", doc);
    }

    public static FieldSpec list(String name, String doc) {
        return new FieldSpec(name, Type.LIST, "", doc);
    }
}
