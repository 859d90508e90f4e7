package io.bpfscope.probes.bench;

import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import java.util.LinkedHashMap;
import java.util.Map;

/** One record of a benchmark burst. */
public record BenchEvent(EventHeader header, long index, long burst) implements DecodedEvent {
    @Override
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("index", index);
        fields.put("burst", burst);
        return fields;
    }

    @Override
    public String summary() {
        return "record " + index + " of " + burst;
    }
}
