package io.bpfscope.probes;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.probes.exec.ExecEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An event that answers field(name) itself must answer exactly what fields() holds. */
class FieldLookupTest {
    @Test
    void execFieldLookupAgreesWithItsFieldMap() {
        EventHeader header = new EventHeader(1, 2, 3, 4, EventKind.EXEC, 1, "ls");
        for (ExecEvent event : List.of(
                new ExecEvent(header, 1, 0, "/bin/ls", List.of("ls", "-la"), false, false),
                new ExecEvent(header, 1, -2, "/nope", List.of("nope"), true, true))) {
            Map<String, Object> fields = event.fields();
            for (Map.Entry<String, Object> entry : fields.entrySet()) {
                assertThat(event.field(entry.getKey())).as(entry.getKey()).isEqualTo(entry.getValue());
            }
            assertThat(event.field("no_such_field")).isNull();
            assertThat(event.field("error")).isEqualTo(fields.get("error"));
        }
    }
}
