package io.bpfscope.filter;

import io.bpfscope.probes.DecodedEvent;

/** Where a field without a fast path gets its value: null means the event does not have the field. */
abstract class ValueSource {
    abstract Object get(Evaluation ev);

    /** One of the probe's own fields, or {@code ppid}. */
    static final class ProbeField extends ValueSource {
        private final String name;

        ProbeField(String name) {
            this.name = name;
        }

        @Override
        Object get(Evaluation ev) {
            return ev.field(name);
        }
    }

    /** The payload's bytes. */
    static final class PayloadBytes extends ValueSource {
        @Override
        Object get(Evaluation ev) {
            DecodedEvent.Payload payload = ev.record.event().payload();
            return payload != null ? payload.bytes() : null;
        }
    }

    /** The conversation's key, as {@code stream == "tls/30020/0x5589095f4ad0"} compares it; null for none. */
    static final class Stream extends ValueSource {
        @Override
        Object get(Evaluation ev) {
            return Node.TextField.STREAM.get(ev.record);
        }
    }

    /** The payload's length before the capture limit cut it, else the event's own {@code len}. */
    static final class Length extends ValueSource {
        @Override
        Object get(Evaluation ev) {
            DecodedEvent.Payload payload = ev.record.event().payload();
            return payload != null ? (Object) payload.originalLength() : ev.field("len");
        }
    }
}
