package io.bpfscope.probes.bench;

import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.EventLayout;
import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decodes {@code struct bench_event} (bench.h). */
public final class BenchDecoder implements EventDecoder {
    static final EventLayout LAYOUT = EventLayout.struct("bench_event", 56)
            .field("hdr", 0, EventHeader.SIZE)
            .field("index", 40, 8)
            .field("burst", 48, 8)
            .build();

    private static final int INDEX = LAYOUT.offsetOf("index", Long.BYTES);
    private static final int BURST = LAYOUT.offsetOf("burst", Long.BYTES);

    @Override
    public BenchEvent decode(ByteBuffer record, int offset, int length) throws MalformedEventException {
        MalformedEventException.requireLength(LAYOUT, length, LAYOUT.fixedSize());
        ByteBuffer le = record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new BenchEvent(EventHeader.decode(le, offset), le.getLong(offset + INDEX), le.getLong(offset + BURST));
    }

    @Override
    public EventLayout layout() {
        return LAYOUT;
    }
}
