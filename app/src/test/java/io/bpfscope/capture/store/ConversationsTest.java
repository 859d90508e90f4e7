package io.bpfscope.capture.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.filter.Filter;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The conversations of the demo capture, as the probes declare their keys and filters. */
class ConversationsTest {
    private static final Path DEMO = Path.of("..", "assets", "demo.bscap");

    @Test
    void eachConversationsFilterShowsExactlyItsEvents() throws Exception {
        List<DecodedRecord> records = new ArrayList<>();
        Map<String, Set<Long>> byKey = new TreeMap<>();
        try (CaptureReader reader = CaptureReader.open(DEMO)) {
            RecordDecoder decoder = new RecordDecoder(reader.header());
            for (RawRecord raw = reader.next(); raw != null; raw = reader.next()) {
                DecodedRecord record = decoder.decode(raw);
                records.add(record);
                Conversations.key(record).ifPresent(key -> byKey.computeIfAbsent(key, k -> new TreeSet<>())
                        .add(record.seq()));
            }
        }
        assertThat(byKey.keySet()).anyMatch(k -> k.startsWith("tls/")).anyMatch(k -> k.startsWith("tcp/"))
                .anyMatch(k -> k.startsWith("unix/"));
        for (Map.Entry<String, Set<Long>> conversation : byKey.entrySet()) {
            String key = conversation.getKey();
            Filter filter = Filter.compile(ProbeCatalog.declaration(key.split("/")[0]).streamKey().filter(key));
            Set<Long> shown = new TreeSet<>();
            records.stream().filter(filter).forEach(r -> shown.add(r.seq()));
            assertThat(shown).as(key + ": " + filter.text()).isEqualTo(conversation.getValue());
        }
    }

    @Test
    void bothDirectionsOfATlsConnectionShareAKey() throws Exception {
        Map<String, Set<Conversations.Side>> sides = new TreeMap<>();
        try (CaptureReader reader = CaptureReader.open(DEMO)) {
            RecordDecoder decoder = new RecordDecoder(reader.header());
            for (RawRecord raw = reader.next(); raw != null; raw = reader.next()) {
                DecodedRecord record = decoder.decode(raw);
                Conversations.key(record).filter(k -> k.startsWith("tls/")).ifPresent(key ->
                        sides.computeIfAbsent(key, k -> new TreeSet<>()).add(Conversations.side(record)));
            }
        }
        assertThat(sides.values()).anyMatch(s -> s.containsAll(List.of(Conversations.Side.SENT,
                Conversations.Side.RECEIVED)));
    }
}
