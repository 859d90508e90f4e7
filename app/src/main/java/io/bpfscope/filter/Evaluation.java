package io.bpfscope.filter;

import io.bpfscope.capture.store.DecodedRecord;

/**
 * One record being tested. Probe fields come from {@code DecodedEvent.field},
 * which the busiest events answer without building their field map. Lives
 * for one {@link Filter#test} call, on one thread.
 */
final class Evaluation {
    final DecodedRecord record;

    Evaluation(DecodedRecord record) {
        this.record = record;
    }

    /** The probe field's value, or null when the event has no such field. */
    Object field(String name) {
        return record.event().field(name);
    }
}
