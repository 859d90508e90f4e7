package io.bpfscope.ui.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

/** The table's window over a long list of rows: the right rows far away, a bounded size, cheap changes. */
class RowWindowTest {
    private static final int HUNDRED_MILLION = 100_000_000;

    @Test
    void holdsTheRightRowsAtFarPlacesOfAHundredMillion() {
        SeqList rows = new SeqList();
        rows.growEveryEvent(HUNDRED_MILLION);
        RowWindow window = new RowWindow(rows);
        assertThat(window).hasSize(RowWindow.SIZE);
        assertThat(window.get(0)).isEqualTo(1L);

        assertThat(window.showAround(87_654_321)).isTrue();
        assertThat(window).hasSize(RowWindow.SIZE);
        int local = window.toWindow(87_654_321);
        assertThat(local).isBetween(0, RowWindow.SIZE - 1);
        assertThat(window.get(local)).isEqualTo(87_654_322L); // row i is seq i + 1
        assertThat(window.indexOf(87_654_322L)).isEqualTo(local);
        assertThat(window.indexOf(5L)).isEqualTo(-1); // far outside the window: not there

        window.showAround(HUNDRED_MILLION - 1); // the end: the window ends with the list
        assertThat(window.start() + window.size()).isEqualTo(HUNDRED_MILLION);
        assertThat(window.get(window.size() - 1)).isEqualTo((long) HUNDRED_MILLION);

        window.showAround(3); // the start
        assertThat(window.start()).isZero();
        assertThat(window.showAround(4)).as("already in the window's middle half: no move").isFalse();
    }

    @Test
    void aFilteredListIsWindowedByItsOwnRows() {
        SeqList rows = new SeqList();
        long[] every7th = new long[50_000];
        for (int i = 0; i < every7th.length; i++) {
            every7th[i] = 7L * (i + 1);
        }
        rows.showOnly(every7th, every7th.length);
        RowWindow window = new RowWindow(rows);
        window.showAround(40_000);
        assertThat(window.get(window.toWindow(40_000))).isEqualTo(7L * 40_001);
        assertThat(window.indexOf(7L * 40_001)).isEqualTo(window.toWindow(40_000));
        assertThat(window.indexOf(7L * 40_001 + 1)).as("not a row of the filter").isEqualTo(-1);
    }

    @Test
    void rowsBeyondAFullWindowChangeNothingAndAFilterStartsAgainAtTheTop() {
        SeqList rows = new SeqList();
        rows.growEveryEvent(100);
        RowWindow window = new RowWindow(rows);
        List<String> changes = new ArrayList<>();
        window.addListener((ListChangeListener<Long>) change -> {
            while (change.next()) {
                changes.add((change.wasRemoved() ? "-" + change.getRemovedSize() : "")
                        + (change.wasAdded() ? "+" + change.getAddedSize() + "@" + change.getFrom() : ""));
            }
        });

        rows.growEveryEvent(RowWindow.SIZE + 5_000); // fills the window, then beyond it
        assertThat(changes).containsExactly("+" + (RowWindow.SIZE - 100) + "@100");
        assertThat(window).hasSize(RowWindow.SIZE);
        rows.growEveryEvent(RowWindow.SIZE + 9_000);
        assertThat(changes).hasSize(1);

        window.showAround(RowWindow.SIZE + 8_000);
        rows.showOnly(new long[] {3, 30, 300}, 3);
        assertThat(window.start()).isZero();
        assertThat(window).containsExactly(3L, 30L, 300L);
    }
}
