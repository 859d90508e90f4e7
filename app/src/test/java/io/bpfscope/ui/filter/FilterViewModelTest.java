package io.bpfscope.ui.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.capture.store.CaptureIndex;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.ui.common.ErrorDisplay;
import io.bpfscope.ui.common.ShownCapture;
import io.bpfscope.ui.common.UiSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The filter bar without a window, on the demo capture's 549 events (9 exec, 31 tls): typing
 * checks, Enter applies and remembers, the dragged time range and the filter make one predicate.
 */
class FilterViewModelTest {
    private static final Path DEMO = Path.of(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap");
    private static final List<DecodedRecord> RECORDS = new ArrayList<>();

    private final ErrorDisplay errors = new ErrorDisplay();
    private final FilterViewModel filter = new FilterViewModel(errors, UiSettings.inMemory());

    @BeforeAll
    static void decodeDemo() throws Exception {
        try (CaptureIndex index = EventStore.index(DEMO)) {
            ShownCapture demo = ShownCapture.of(index, DEMO);
            for (long seq = 1; seq <= index.store().size(); seq++) {
                RECORDS.add(demo.decode(seq));
            }
        }
    }

    private static long passing(Predicate<DecodedRecord> predicate) {
        return predicate == null ? RECORDS.size() : RECORDS.stream().filter(predicate).count();
    }

    @Test
    void typingChecksAndOnlyEnterApplies() {
        filter.textProperty().set("pid == ");
        assertThat(filter.check()).isNull();
        assertThat(filter.stateProperty().get()).isEqualTo(FilterViewModel.State.INVALID);
        assertThat(filter.problemColumnProperty().get()).isPositive();
        assertThat(filter.problemProperty().get()).startsWith("column ");
        assertThat(filter.apply()).isFalse();
        assertThat(filter.predicateProperty().get()).as("a bad filter changes nothing").isNull();
        assertThat(filter.history()).isEmpty();

        filter.textProperty().set("probe == exec");
        assertThat(filter.check()).isNotNull();
        assertThat(filter.stateProperty().get()).isEqualTo(FilterViewModel.State.VALID);
        assertThat(filter.predicateProperty().get()).as("checking applies nothing").isNull();
        assertThat(filter.apply()).isTrue();
        assertThat(passing(filter.predicateProperty().get())).isEqualTo(9);
        assertThat(filter.history()).containsExactly("probe == exec");
    }

    @Test
    void applyAsJoinsTheExpressionToTheFilterApplied() {
        filter.apply("probe == tls");
        filter.applyAs("pid == 30020", FilterExpressions.Join.AND);
        assertThat(filter.appliedProperty().get().text()).contains("probe == tls").contains("&& pid == 30020");
        assertThat(passing(filter.predicateProperty().get())).isEqualTo(5);
    }

    @Test
    void theTimeRangeAndTheFilterMakeOnePredicateAndClearShowsEverything() {
        Instant from = RECORDS.get(150).time(); // event 151, curl's first TLS write
        Instant to = RECORDS.get(163).time(); // event 164
        filter.applyTimeSpan(new TimeRange(to, from)); // dragged right to left
        // the span is filter text, to the millisecond, that the user can read and edit
        assertThat(filter.textProperty().get()).matches("time >= 20\\d\\d-\\d\\d-\\d\\dT[0-9:.]{12,18} && time <= .*");
        assertThat(filter.timeRangeProperty().get()).isNotNull();
        assertThat(passing(filter.predicateProperty().get())).isEqualTo(14);
        filter.applyAs("probe == tls", FilterExpressions.Join.AND);
        long tlsInRange = RECORDS.stream().filter(r -> r.probe().equals("tls") && !r.time().isBefore(from)
                && !r.time().isAfter(to)).count();
        assertThat(tlsInRange).isBetween(5L, 13L);
        assertThat(passing(filter.predicateProperty().get())).isEqualTo(tlsInRange);
        // a second drag moves the span; the rest of the filter stays
        filter.applyTimeSpan(new TimeRange(RECORDS.get(0).time(), RECORDS.get(548).time()));
        assertThat(filter.textProperty().get()).contains("probe == tls").containsOnlyOnce("time >=");
        assertThat(passing(filter.predicateProperty().get())).isEqualTo(RECORDS.stream().filter(r -> r.probe().equals("tls")).count());

        filter.clear();
        assertThat(filter.predicateProperty().get()).isNull();
        assertThat(filter.textProperty().get()).isEmpty();
        assertThat(filter.timeRangeProperty().get()).isNull();
    }
}
