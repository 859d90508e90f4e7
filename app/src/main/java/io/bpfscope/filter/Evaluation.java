package io.bpfscope.filter;

import io.bpfscope.capture.DecodedRecord;
import java.util.Map;

/**
 * One record being tested. Builds the event's field map at most once, and
 * only if a test asks for a probe field: {@code fields()} allocates a map per
 * call. Lives for one {@link Filter#test} call, on one thread.
 */
final class Evaluation {
    final DecodedRecord record;
    private Map<String, Object> fields;

    Evaluation(DecodedRecord record) {
        this.record = record;
    }

    /** The probe field's value, or null when the event has no such field. */
    Object field(String name) {
        if (fields == null) {
            Map<String, Object> map = record.event().fields();
            fields = map != null ? map : Map.of();
        }
        return fields.get(name);
    }
}
