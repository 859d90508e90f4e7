package io.bpfscope.probes;

import java.util.Map;

/**
 * The kinds an event header carries: event_header.h's {@code enum event_kind},
 * mirrored here once. {@code EventKindTest} checks every value against the BTF
 * of the compiled objects. A new probe adds its kind in both places.
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

    /** Kinds are small: a table this long indexes every one of them. */
    public static final int LIMIT = 64;

    private EventKind() {
    }

    /** Every kind by its enumerator name in C, for the BTF test. */
    public static Map<String, Integer> byEnumerator() {
        return Map.of("EVENT_EXEC", EXEC, "EVENT_EXIT", EXIT, "EVENT_OPEN", OPEN, "EVENT_TCP", TCP,
                "EVENT_TLS", TLS, "EVENT_UNIX", UNIX, "EVENT_DNS", DNS, "EVENT_TRACEPOINT", TRACEPOINT,
                "EVENT_UPROBE", UPROBE, "EVENT_BENCH", BENCH);
    }
}
