package io.bpfscope.probes.tracepoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tracepoint's {@code format} file, parsed: the fields of its raw record,
 * each with its C type, offset, size and signedness, e.g.
 * {@code field:pid_t child_pid;	offset:20;	size:4;	signed:1;}. Plain data,
 * immutable; the text it came from is kept so a capture can carry it.
 *
 * @param group   {@code sched}, from the caller (the file does not say)
 * @param name    {@code sched_process_fork}
 * @param id      the tracepoint's id ({@code ID:} line), or -1 if absent
 * @param fields  every field in file order, the common ones first
 * @param text    the file as read
 */
public record TracepointFormat(String group, String name, int id, List<Field> fields, String text) {
    /**
     * A trace record fits in a page and its dynamic fields are addressed with 16 bits:
     * larger offsets and sizes are not from a kernel.
     */
    static final int MAX_OFFSET = 0xffff;
    /** Real tracepoints have a few dozen fields; a file with more is not from a kernel. */
    static final int MAX_FIELDS = 1024;

    /** How a field's bytes are read. */
    public enum Kind {
        /** An integer of 1, 2, 4 or 8 bytes. */
        INTEGER,
        /** A pointer: shown in hex. */
        POINTER,
        /** {@code char name[N]}: a NUL-terminated string in place. */
        CHAR_ARRAY,
        /** {@code T name[N]}: N integers in place. */
        ARRAY,
        /** {@code __data_loc char[] name}: a u32 saying where (low 16 bits) and how long (high 16) a string is. */
        DATA_LOC_STRING,
        /** {@code __data_loc T[] name}: the same for an array of integers. */
        DATA_LOC_ARRAY,
        /** Anything else (a struct held by value, an integer of odd size): its bytes. */
        BYTES
    }

    /**
     * One field.
     *
     * @param type          the C type as written ({@code const char *}, {@code __data_loc char[]}, {@code u8})
     * @param name          the name without any {@code [N]}
     * @param elementSize   for arrays, the size of one element; else {@code size}
     * @param relative      a {@code __rel_loc}: the offset counts from the end of the field
     */
    public record Field(String type, String name, int offset, int size, boolean signed, Kind kind, int elementSize,
                        boolean relative) {
        /** {@code common_type}, {@code common_pid}...: the header every trace record starts with. */
        public boolean common() {
            return name.startsWith("common_");
        }

        /** A pointer to characters ({@code const char *}): in a syscall's arguments, a string in user memory. */
        public boolean charPointer() {
            return kind == Kind.POINTER && type.replace("const", "").replace(" ", "").equals("char*");
        }

        /** A dynamic field ({@code __data_loc}, {@code __rel_loc}): its data follows the fixed part. */
        public boolean dynamic() {
            return kind == Kind.DATA_LOC_STRING || kind == Kind.DATA_LOC_ARRAY;
        }
    }

    /** Natural sizes of the types whose signedness and width a syscall's 8-byte slot hides. */
    private static final Map<String, Integer> NATURAL_SIZES = Map.ofEntries(
            Map.entry("char", 1), Map.entry("signed char", 1), Map.entry("unsigned char", 1), Map.entry("bool", 1),
            Map.entry("u8", 1), Map.entry("s8", 1), Map.entry("__u8", 1), Map.entry("__s8", 1),
            Map.entry("short", 2), Map.entry("unsigned short", 2), Map.entry("u16", 2), Map.entry("s16", 2),
            Map.entry("__u16", 2), Map.entry("__s16", 2), Map.entry("umode_t", 2),
            Map.entry("int", 4), Map.entry("unsigned int", 4), Map.entry("unsigned", 4), Map.entry("uint", 4),
            Map.entry("u32", 4), Map.entry("s32", 4), Map.entry("__u32", 4), Map.entry("__s32", 4),
            Map.entry("pid_t", 4), Map.entry("uid_t", 4), Map.entry("gid_t", 4), Map.entry("key_serial_t", 4),
            Map.entry("qid_t", 4), Map.entry("mqd_t", 4), Map.entry("clockid_t", 4), Map.entry("const clockid_t", 4),
            Map.entry("rwf_t", 4), Map.entry("int32_t", 4), Map.entry("uint32_t", 4));

    public Optional<Field> field(String fieldName) {
        return fields.stream().filter(f -> f.name.equals(fieldName)).findFirst();
    }

    /** {@code group:name}. */
    public String target() {
        return group + ":" + name;
    }

    /** The end of the last fixed field: the least a record holds. */
    public int fixedSize() {
        return fields.stream().mapToInt(f -> f.offset + f.size).max().orElse(0);
    }

    /** The fields that are not common ones, in file order. */
    public List<Field> ownFields() {
        return fields.stream().filter(f -> !f.common()).toList();
    }

    /**
     * Parses a format file's text.
     *
     * @throws TracepointFormatException with the line and what was expected, if a field line is damaged
     *         or the file has no field at all
     */
    public static TracepointFormat parse(String group, String name, String text) throws TracepointFormatException {
        List<Field> fields = new ArrayList<>();
        int id = -1;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String stripped = line.strip();
            if (stripped.startsWith("ID:")) {
                try {
                    id = Integer.parseInt(stripped.substring(3).strip());
                } catch (NumberFormatException e) {
                    throw new TracepointFormatException(group + ":" + name, i + 1, "ID: and a number", stripped);
                }
            } else if (stripped.startsWith("field:")) {
                if (fields.size() == MAX_FIELDS) {
                    throw new TracepointFormatException(group + ":" + name, i + 1,
                            "at most " + MAX_FIELDS + " fields", "more");
                }
                fields.add(parseField(group + ":" + name, i + 1, stripped));
            } else if (stripped.startsWith("print fmt:")) {
                break;
            }
        }
        if (fields.isEmpty()) {
            throw new TracepointFormatException(group + ":" + name, 1, "field: lines",
                    text.isBlank() ? "an empty file" : "none");
        }
        return new TracepointFormat(group, name, id, List.copyOf(fields), text);
    }

    /**
     * One {@code field:TYPE NAME;\toffset:N;\tsize:N;\tsigned:N;} line, read left to right
     * without regular expressions (a hostile capture carries the format: no backtracking).
     */
    private static Field parseField(String where, int lineNumber, String line) throws TracepointFormatException {
        FieldLine cursor = new FieldLine(where, lineNumber, line);
        String declaration = cursor.declaration();
        int offset = cursor.number("offset:");
        int size = cursor.number("size:");
        boolean signed = cursor.signed();
        // The name is the last word; everything before it is the type ("const char * pathname").
        int split = Math.max(declaration.lastIndexOf(' '), declaration.lastIndexOf('*'));
        if (split < 0 || split == declaration.length() - 1) {
            throw new TracepointFormatException(where, lineNumber, "a type and a name", declaration);
        }
        String type = declaration.substring(0, split + 1).strip();
        String fieldName = declaration.substring(split + 1).strip();
        String count = null;
        int open = fieldName.lastIndexOf('[');
        if (fieldName.endsWith("]") && open >= 0) { // name[N]: an array of N
            count = fieldName.substring(open + 1, fieldName.length() - 1);
            fieldName = fieldName.substring(0, open);
        }
        if (type.startsWith("__data_loc ") || type.startsWith("__rel_loc ")) {
            boolean relative = type.startsWith("__rel_loc ");
            String element = type.substring(type.indexOf(' ') + 1).replace("[]", "").strip();
            boolean chars = element.equals("char") || element.equals("const char");
            return new Field(type, fieldName, offset, size, signed, chars ? Kind.DATA_LOC_STRING : Kind.DATA_LOC_ARRAY,
                    elementSize(element, 1), relative);
        }
        if (count != null) {
            boolean chars = type.equals("char") || type.equals("const char");
            int element = elementSize(type, 1);
            int elements = decimal(count);
            if (elements > 0) {
                element = size / elements;
            }
            if (element <= 0 || size % element != 0) {
                element = 1;
            }
            return new Field(type, fieldName, offset, size, signed, chars ? Kind.CHAR_ARRAY : Kind.ARRAY, element, false);
        }
        if (type.endsWith("*")) {
            return new Field(type, fieldName, offset, size, false, size == 8 || size == 4 ? Kind.POINTER : Kind.BYTES,
                    size, false);
        }
        if (size == 1 || size == 2 || size == 4 || size == 8) {
            // A syscall argument sits in an 8-byte slot whatever its C type: read it as that type says.
            int natural = NATURAL_SIZES.getOrDefault(type, size);
            if (natural < size) {
                boolean typeSigned = !(type.startsWith("unsigned") || type.startsWith("u") || type.startsWith("__u")
                        || type.equals("umode_t") || type.equals("bool"));
                return new Field(type, fieldName, offset, size, typeSigned, Kind.INTEGER, natural, false);
            }
            return new Field(type, fieldName, offset, size, signed, Kind.INTEGER, size, false);
        }
        return new Field(type, fieldName, offset, size, signed, Kind.BYTES, size, false);
    }

    /** The byte size of one element of an array of {@code type}; {@code otherwise} for unknown types. */
    private static int elementSize(String type, int otherwise) {
        String bare = type.replace("const ", "").strip();
        if (bare.endsWith("*")) {
            return 8;
        }
        Integer natural = NATURAL_SIZES.get(bare);
        if (natural != null) {
            return natural;
        }
        return switch (bare) {
            case "long", "unsigned long", "long long", "unsigned long long", "u64", "s64", "__u64", "__s64",
                 "uint64_t", "int64_t", "size_t", "loff_t", "dma_addr_t", "phys_addr_t" -> 8;
            default -> otherwise;
        };
    }

    /** A small decimal number (up to {@link #MAX_OFFSET}), or -1 when {@code text} is not one. */
    private static int decimal(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= MAX_OFFSET ? value : -1;
    }

    /** Reads the parts of one field line in order; each mistake names what was expected. */
    private static final class FieldLine {
        private static final String SHAPE = "field:TYPE NAME;\toffset:N;\tsize:N;\tsigned:N;";
        private final String where;
        private final int lineNumber;
        private final String line;
        private int at;

        FieldLine(String where, int lineNumber, String line) {
            this.where = where;
            this.lineNumber = lineNumber;
            this.line = line;
        }

        /** {@code TYPE NAME} between {@code field:} and the first {@code ;}. */
        String declaration() throws TracepointFormatException {
            int semicolon = line.indexOf(';');
            String declaration = semicolon < 0 ? "" : line.substring("field:".length(), semicolon).strip();
            if (declaration.isEmpty()) {
                throw new TracepointFormatException(where, lineNumber, SHAPE, shortened(line));
            }
            at = semicolon + 1;
            return declaration;
        }

        /** {@code KEY N;}, N a decimal up to {@link #MAX_OFFSET}. */
        int number(String key) throws TracepointFormatException {
            String text = part(key);
            int value = text == null ? -1 : decimal(text);
            if (value < 0) {
                throw new TracepointFormatException(where, lineNumber, key + " and a number up to " + MAX_OFFSET,
                        shortened(text == null ? line.substring(at) : key + text));
            }
            return value;
        }

        /** The optional {@code signed:N;}: true unless absent or 0. */
        boolean signed() {
            String text = part("signed:");
            return text != null && !text.equals("0");
        }

        /** The text after {@code key} up to the next {@code ;}, or null when the next part is not {@code key}. */
        private String part(String key) {
            int start = at;
            while (start < line.length() && Character.isWhitespace(line.charAt(start))) {
                start++;
            }
            int semicolon = line.indexOf(';', start);
            if (!line.startsWith(key, start) || semicolon < 0) {
                return null;
            }
            at = semicolon + 1;
            return line.substring(start + key.length(), semicolon).strip();
        }

        private static String shortened(String text) {
            return text.length() > 80 ? text.substring(0, 80) + "…" : text;
        }
    }
}
