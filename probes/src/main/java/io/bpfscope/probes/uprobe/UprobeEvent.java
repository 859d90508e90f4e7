package io.bpfscope.probes.uprobe;

import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A call of a traced user function: at its entry (a uprobe) with its argument
 * registers, or at its return (a uretprobe) with those, the return value and
 * the latency. The registers are raw 64-bit values: an {@code int} argument's
 * upper half may hold anything the caller left there.
 *
 * @param binary     the file the function is in, when the decoder knows it
 * @param function   the symbol, when the decoder knows it
 * @param atReturn   sent by the uretprobe
 * @param args       the six argument registers at entry (zero when the entry was not seen)
 * @param entrySeen  at return: whether the entry was seen (else args and latency are unknown)
 * @param buffer     the captured bytes, or null when no buffer is captured
 */
public record UprobeEvent(EventHeader header, String binary, String function, boolean atReturn, long[] args,
                          long retval, long latencyNs, boolean entrySeen, long bufferAddress, long bufferSize,
                          byte[] buffer, boolean readFailed) implements DecodedEvent {

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("function", function);
        fields.put("binary", binary);
        fields.put("phase", atReturn ? "return" : "entry");
        for (int i = 0; i < args.length; i++) {
            fields.put("arg" + i, args[i]);
        }
        if (atReturn) {
            fields.put("ret", retval);
            fields.put("latency_ns", latencyNs);
            fields.put("entry_seen", entrySeen);
        }
        if (buffer != null) {
            fields.put("buf_addr", "0x" + Long.toHexString(bufferAddress));
            fields.put("buf_size", bufferSize);
            fields.put("read_failed", readFailed);
        }
        return fields;
    }

    @Override
    public Object field(String name) {
        return fields().get(name);
    }

    /** {@code bpfscope_target(1, 2, 0x7ffd5a2c, …) = 3  12.50 µs}. */
    @Override
    public String summary() {
        StringBuilder text = new StringBuilder(function).append('(');
        if (!atReturn || entrySeen) {
            for (int i = 0; i < args.length; i++) {
                text.append(i == 0 ? "" : ", ").append(shown(args[i]));
            }
        } else {
            text.append('?');
        }
        text.append(')');
        if (atReturn) {
            text.append(" = ").append(shown(retval));
            if (entrySeen) {
                text.append("  ").append(io.bpfscope.probes.DurationText.of(latencyNs));
            }
        }
        if (readFailed) {
            text.append("  (buffer unreadable)");
        }
        return text.toString();
    }

    @Override
    public Payload payload() {
        return buffer == null ? null : new Payload(buffer, bufferSize, bufferSize > buffer.length);
    }

    /** Small numbers in decimal, the rest (pointers, most likely) in hex. */
    static String shown(long value) {
        return value > -65536 && value < 1 << 20 ? Long.toString(value) : "0x" + Long.toHexString(value);
    }
}
