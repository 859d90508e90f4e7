package io.bpfscope.probes.tracepoint;

import io.bpfscope.probes.CStrings;
import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.EventLayout;
import io.bpfscope.probes.MalformedEventException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes {@code struct tracepoint_event} (tracepoint.h) with the format of
 * the one tracepoint its records come from. Immutable and thread-safe.
 */
public final class TracepointDecoder implements EventDecoder {
    public static final EventLayout LAYOUT = EventLayout.struct("tracepoint_event", 48)
            .field("hdr", 0, EventHeader.SIZE)
            .field("record_len", 40, 2)
            .field("strings_len", 42, 2)
            .field("string_count", 44, 1)
            .field("string_failed", 45, 1)
            .field("flags", 46, 2)
            .field("data", 48, 8192)
            .build();

    /** As in tracepoint.h. */
    static final int MAX_STRINGS = 4;
    static final int MAX_LOCS = 4;
    static final int RECORD_MAX = 4096;
    private static final int RECORD_LEN = LAYOUT.offsetOf("record_len", Short.BYTES);
    private static final int STRINGS_LEN = LAYOUT.offsetOf("strings_len", Short.BYTES);
    private static final int STRING_COUNT = LAYOUT.offsetOf("string_count", Byte.BYTES);
    private static final int STRING_FAILED = LAYOUT.offsetOf("string_failed", Byte.BYTES);
    private static final int FLAGS = LAYOUT.offsetOf("flags", Short.BYTES);
    private static final int RECORD_TRUNCATED = 1;
    private static final int STRING_TRUNCATED = 2;

    /** Pointer arguments of syscalls that name paths or strings, read from user memory as perf trace does. */
    private static final Set<String> STRING_ARGUMENTS = Set.of("filename", "pathname", "name", "oldname", "newname",
            "path", "u_name", "uname", "specialfile", "special", "to_pathname", "from_pathname", "put_old", "new_root",
            "dir_name", "dev_name", "type", "_type", "_description", "_fs_name");

    /** Names every event already carries (capture and JSONL columns): a tracepoint field by such a name gets {@code tp_}. */
    private static final Set<String> RESERVED = Set.of("seq", "time", "probe", "pid", "tid", "uid", "comm", "len",
            "payload", "payload_len", "truncated", "tracepoint");

    private final TracepointFormat format;
    private final List<TracepointFormat.Field> own;
    private final List<String> names;
    private final List<TracepointFormat.Field> strings;

    public TracepointDecoder(TracepointFormat format) {
        this.format = format;
        this.own = format.ownFields();
        this.names = own.stream().map(f -> fieldName(f.name())).toList();
        this.strings = userStringFields(format);
    }

    public TracepointFormat format() {
        return format;
    }

    /** The name a tracepoint field has in {@link TracepointEvent#fields()}: its own, or {@code tp_NAME} if that is taken. */
    public static String fieldName(String formatName) {
        return RESERVED.contains(formatName) ? "tp_" + formatName : formatName;
    }

    /** The field names events of this tracepoint carry, for filters and completion. */
    @Override
    public List<String> fieldNames() {
        List<String> all = new ArrayList<>();
        all.add("tracepoint");
        all.addAll(names);
        all.add("record_truncated");
        return all;
    }

    /**
     * The pointer fields the probe reads as user strings, at most {@value #MAX_STRINGS}: the
     * {@code char *} path and name arguments of a {@code syscalls:sys_enter_*} tracepoint.
     */
    public static List<TracepointFormat.Field> userStringFields(TracepointFormat format) {
        if (!format.group().equals("syscalls") || !format.name().startsWith("sys_enter_")) {
            return List.of();
        }
        return format.ownFields().stream()
                .filter(f -> f.charPointer() && f.size() == 8 && STRING_ARGUMENTS.contains(f.name()))
                .limit(MAX_STRINGS)
                .toList();
    }

    /** The dynamic fields that tell the record's length, at most {@value #MAX_LOCS}: the last ones, which end furthest. */
    public static List<TracepointFormat.Field> lengthFields(TracepointFormat format) {
        List<TracepointFormat.Field> dynamic = format.ownFields().stream().filter(TracepointFormat.Field::dynamic).toList();
        return dynamic.subList(Math.max(0, dynamic.size() - MAX_LOCS), dynamic.size());
    }

    @Override
    public TracepointEvent decode(ByteBuffer record, int offset, int length) throws MalformedEventException {
        MalformedEventException.requireLength(LAYOUT, length, LAYOUT.fixedSize());
        ByteBuffer le = record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int recordLength = Short.toUnsignedInt(le.getShort(offset + RECORD_LEN));
        int stringsLength = Short.toUnsignedInt(le.getShort(offset + STRINGS_LEN));
        int stringCount = le.get(offset + STRING_COUNT) & 0xff;
        int stringFailed = le.get(offset + STRING_FAILED) & 0xff;
        int flags = Short.toUnsignedInt(le.getShort(offset + FLAGS));
        MalformedEventException.requireRoom(LAYOUT, length, LAYOUT.fixedSize(), (long) recordLength + stringsLength);
        int data = offset + LAYOUT.fixedSize();

        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < own.size(); i++) {
            TracepointFormat.Field field = own.get(i);
            Object value = value(le, data, recordLength, field);
            if (value != null) {
                values.put(names.get(i), value);
            }
        }
        List<String> read = CStrings.readAll(le, data + recordLength, stringsLength);
        for (int i = 0; i < Math.min(stringCount, Math.min(read.size(), strings.size())); i++) {
            if ((stringFailed & 1 << i) == 0) {
                values.put(fieldName(strings.get(i).name()), read.get(i));
            }
        }
        return new TracepointEvent(EventHeader.decode(le, offset), format.target(), Collections.unmodifiableMap(values),
                (flags & RECORD_TRUNCATED) != 0, (flags & STRING_TRUNCATED) != 0);
    }

    /** One field's value, or null when the record ends before it (it was cut at the probe's limit). */
    static Object value(ByteBuffer le, int data, int recordLength, TracepointFormat.Field field) {
        int at = field.offset();
        if (at > recordLength || field.size() > recordLength - at) { // subtraction form: no overflow
            return null;
        }
        switch (field.kind()) {
            case INTEGER:
                return integer(le, data + at, field.elementSize(), field.signed());
            case POINTER:
                long pointer = field.size() == 8 ? le.getLong(data + at) : Integer.toUnsignedLong(le.getInt(data + at));
                return "0x" + Long.toHexString(pointer);
            case CHAR_ARRAY:
                return CStrings.read(le, data + at, field.size());
            case ARRAY:
                return elements(le, data + at, field.size(), field.elementSize(), field.signed());
            case DATA_LOC_STRING:
            case DATA_LOC_ARRAY: {
                if (field.size() < 4) {
                    return null; // no room for its u32 location: not a kernel's format
                }
                int loc = le.getInt(data + at);
                int start = (loc & 0xffff) + (field.relative() ? at + 4 : 0);
                int size = loc >>> 16;
                int end = Math.min(start + size, recordLength);
                if (start > recordLength) {
                    return null;
                }
                int available = end - start;
                if (field.kind() == TracepointFormat.Kind.DATA_LOC_STRING) {
                    return CStrings.read(le, data + start, available);
                }
                if (field.elementSize() == 1) {
                    byte[] bytes = new byte[available];
                    le.get(data + start, bytes);
                    return bytes;
                }
                return elements(le, data + start, available, field.elementSize(), field.signed());
            }
            default: {
                byte[] bytes = new byte[field.size()];
                le.get(data + at, bytes);
                return bytes;
            }
        }
    }

    private static Object integer(ByteBuffer le, int at, int size, boolean signed) {
        switch (size) {
            case 1: return signed ? (long) le.get(at) : (long) (le.get(at) & 0xff);
            case 2: return signed ? (long) le.getShort(at) : (long) Short.toUnsignedInt(le.getShort(at));
            case 4: return signed ? (long) le.getInt(at) : Integer.toUnsignedLong(le.getInt(at));
            default: {
                long v = le.getLong(at);
                return signed || v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
            }
        }
    }

    private static List<Object> elements(ByteBuffer le, int at, int size, int elementSize, boolean signed) {
        int width = elementSize == 1 || elementSize == 2 || elementSize == 4 || elementSize == 8 ? elementSize : 1;
        List<Object> list = new ArrayList<>(size / width);
        for (int i = 0; i + width <= size; i += width) {
            list.add(integer(le, at + i, width, signed));
        }
        return Collections.unmodifiableList(list);
    }

    @Override
    public EventLayout layout() {
        return LAYOUT;
    }
}
