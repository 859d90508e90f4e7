package io.bpfscope.probes;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kinds an event header carries: event_header.h's {@code enum event_kind},
 * mirrored here once. {@code EventKindTest} checks every value against the BTF
 * of the compiled objects. A new probe adds its kind in both places: one line
 * each, {@code EVENT_SIGNAL = 10} there and {@code SIGNAL = 10} here.
 */
public final class EventKind {
    public static final int EXEC = 1;
    public static final int EXIT = 2;
    public static final int OPEN = 3;
    public static final int TCP = 4;
    public static final int TLS = 5;
    public static final int UNIX = 6;
    public static final int DNS = 7;
    public static final int TRACEPOINT = 8;
    public static final int UPROBE = 9;
    /** The ring-buffer benchmark's records. */
    public static final int BENCH = 15;

    private EventKind() {
    }

    /** Every kind by its enumerator name in C ({@code EVENT_EXEC} for {@link #EXEC}), for the BTF test. */
    public static Map<String, Integer> byEnumerator() {
        Map<String, Integer> kinds = new TreeMap<>();
        for (Field field : EventKind.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                try {
                    kinds.put("EVENT_" + field.getName(), field.getInt(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return kinds;
    }
}
