package io.bpfscope.ui.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

/** The shown seqs: a filter replaces them in one change whose removed rows are read, never copied. */
class SeqListTest {
    @Test
    void aFilterIsToldAsOneReplacementOfEveryRow() {
        SeqList rows = new SeqList();
        rows.growEveryEvent(5);
        List<String> changes = new ArrayList<>();
        List<Long> removedSeen = new ArrayList<>();
        rows.addListener((ListChangeListener<Long>) change -> {
            while (change.next()) {
                changes.add(change.getFrom() + ".." + change.getTo() + (change.wasReplaced() ? " replaced" : "")
                        + " -" + change.getRemovedSize() + " +" + change.getAddedSize());
                removedSeen.addAll(change.getRemoved());
            }
        });

        rows.showOnly(new long[] {2, 4}, 2);

        assertThat(changes).containsExactly("0..2 replaced -5 +2");
        assertThat(removedSeen).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(rows).containsExactly(2L, 4L);

        changes.clear();
        removedSeen.clear();
        rows.showEveryEvent(3);
        assertThat(changes).containsExactly("0..3 replaced -2 +3");
        assertThat(removedSeen).containsExactly(2L, 4L);
    }

    @Test
    void replacingTwoBillionRowsCopiesNone() {
        // a boxed copy of the removed rows (JavaFX's change builder) cannot even hold this many
        SeqList rows = new SeqList();
        rows.growEveryEvent(2_000_000_000);
        long[] removedEnds = new long[2];
        rows.addListener((ListChangeListener<Long>) change -> {
            while (change.next()) {
                List<? extends Long> removed = change.getRemoved();
                removedEnds[0] = removed.get(0);
                removedEnds[1] = removed.get(removed.size() - 1);
            }
        });

        rows.showOnly(new long[] {7}, 1);

        assertThat(removedEnds).containsExactly(1L, 2_000_000_000L);
        assertThat(rows).containsExactly(7L);
    }

    @Test
    void anEmptyListReplacedByAnEmptyOneTellsNothing() {
        SeqList rows = new SeqList();
        List<Object> changes = new ArrayList<>();
        rows.addListener((ListChangeListener<Long>) changes::add);

        rows.showOnly(new long[0], 0);

        assertThat(changes).isEmpty();
    }
}
