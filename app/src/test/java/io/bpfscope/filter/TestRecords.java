package io.bpfscope.filter;

import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Records for filter tests: a header, any fields, an optional payload. */
final class TestRecords {
    /** An event with whatever fields and payload a test needs. */
    record TestEvent(EventHeader header, Map<String, Object> fields, Payload payload) implements DecodedEvent {
        @Override
        public String summary() {
            return "test";
        }
    }

    static Builder record() {
        return new Builder();
    }

    static final class Builder {
        private long seq = 1;
        private Instant time = Instant.parse("2026-11-25T09:43:27.500Z");
        private String probe = "test";
        private int pid = 1234;
        private int tid = 1235;
        private int uid = 1000;
        private String comm = "ssh";
        private final Map<String, Object> fields = new LinkedHashMap<>();
        private DecodedEvent.Payload payload;

        Builder seq(long value) {
            seq = value;
            return this;
        }

        Builder time(String iso) {
            time = Instant.parse(iso);
            return this;
        }

        Builder probe(String value) {
            probe = value;
            return this;
        }

        Builder pid(int value) {
            pid = value;
            return this;
        }

        Builder tid(int value) {
            tid = value;
            return this;
        }

        Builder uid(int value) {
            uid = value;
            return this;
        }

        Builder comm(String value) {
            comm = value;
            return this;
        }

        Builder field(String name, Object value) {
            fields.put(name, value);
            return this;
        }

        Builder payload(byte[] bytes, long originalLength) {
            payload = new DecodedEvent.Payload(bytes, originalLength, bytes.length < originalLength);
            return this;
        }

        Builder payload(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return payload(bytes, bytes.length);
        }

        DecodedRecord build() {
            EventHeader header = new EventHeader(1_000_000L, pid, tid, uid, 1, 0, comm);
            return new DecodedRecord(seq, time, probe, new TestEvent(header, new LinkedHashMap<>(fields), payload));
        }
    }

    private TestRecords() {
    }
}
