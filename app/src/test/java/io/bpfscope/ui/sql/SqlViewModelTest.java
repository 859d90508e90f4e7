package io.bpfscope.ui.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.store.CaptureIndex;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.capture.store.RecordDecoder;
import io.bpfscope.filter.Filter;
import io.bpfscope.ui.common.ShownCapture;
import io.bpfscope.ui.common.TaskRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Analyze → SQL without a window: a query over the demo capture, its rows as the event filter, its export, a bad query. */
class SqlViewModelTest {
    private static final Path DEMO = Path.of(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap");

    @TempDir
    Path dir;

    @Test
    void rowsBecomeTheFilterThatShowsExactlyTheirEvents() throws Exception {
        AtomicReference<String> applied = new AtomicReference<>();
        try (CaptureIndex index = EventStore.index(DEMO);
             SqlViewModel sql = new SqlViewModel(() -> ShownCapture.of(index, DEMO), applied::set, TaskRunner.onCallingThread())) {
            sql.queryProperty().set("SELECT seq, comm, summary FROM events WHERE probe = 'tls' AND comm = 'curl' ORDER BY seq");
            sql.run();
            SqlViewModel.Result result = sql.resultProperty().get();
            assertThat(result.columns()).containsExactly("seq", "comm", "summary");
            assertThat(result.rows()).isNotEmpty();
            assertThat(sql.history()).containsExactly(sql.queryProperty().get());
            TreeSet<Long> expected = new TreeSet<>();
            result.rows().forEach(row -> expected.add((Long) row.get(0)));

            assertThat(sql.filterEvents()).isTrue();
            assertThat(applied.get()).startsWith("seq in {");
            // the filter language takes it, and it shows exactly the rows' events
            Filter filter = Filter.compile(applied.get());
            TreeSet<Long> shown = new TreeSet<>();
            try (CaptureReader reader = CaptureReader.open(DEMO)) {
                RecordDecoder decoder = new RecordDecoder(reader::header);
                for (RawRecord raw = reader.next(); raw != null; raw = reader.next()) {
                    DecodedRecord record = decoder.decode(raw);
                    if (filter.test(record)) {
                        shown.add(record.seq());
                    }
                }
            }
            assertThat(shown).isEqualTo(expected);

            Path csv = dir.resolve("result.csv");
            sql.queryProperty().set("SELECT '=2+3' AS formula, count(*) AS n FROM exec");
            sql.run();
            sql.exportResult(csv);
            assertThat(Files.readString(csv)).isEqualTo("formula,n\r\n'=2+3,9\r\n");
            assertThat(sql.filterEvents()).isFalse();
            assertThat(sql.statusProperty().get()).contains("no seq column");
        }
    }

    @Test
    void aBadQuerySaysWhyOnOneLine() throws Exception {
        try (CaptureIndex index = EventStore.index(DEMO);
             SqlViewModel sql = new SqlViewModel(() -> ShownCapture.of(index, DEMO), text -> { }, TaskRunner.onCallingThread())) {
            sql.queryProperty().set("SELECT nosuch FROM events");
            sql.run();
            assertThat(sql.statusProperty().get()).startsWith("Binder Error").contains("nosuch").doesNotContain("\n");
            assertThat(sql.runningProperty().get()).isFalse();
        }
    }

    @Test
    void consecutiveSeqsBecomeRanges() {
        assertThat(SqlViewModel.seqFilter(new TreeSet<>(List.of(1L, 2L, 3L, 7L, 9L, 10L)))).isEqualTo("seq in {1..3, 7, 9..10}");
        assertThat(SqlViewModel.seqFilter(new TreeSet<>(new ArrayList<>(List.of(5L))))).isEqualTo("seq in {5}");
    }
}
