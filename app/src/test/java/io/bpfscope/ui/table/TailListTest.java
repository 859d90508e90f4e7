package io.bpfscope.ui.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

/** The table's view of the last rows while it follows: always the tail, told as small changes. */
class TailListTest {
    @Test
    void showsTheLastRowsAsTheListGrows() {
        SeqList rows = new SeqList();
        TailList tail = new TailList(rows);
        rows.growEveryEvent(10);
        assertThat(tail).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);

        rows.growEveryEvent(TailList.SIZE + 500);
        assertThat(tail).hasSize(TailList.SIZE);
        assertThat(tail.get(0)).isEqualTo(501L);
        assertThat(tail.get(TailList.SIZE - 1)).isEqualTo(TailList.SIZE + 500L);
        assertThat(tail.start()).isEqualTo(500);
    }

    @Test
    void newRowsAreToldAsRowsGoneFromTheFrontAndAddedAtTheEnd() {
        SeqList rows = new SeqList();
        rows.growEveryEvent(TailList.SIZE);
        TailList tail = new TailList(rows);
        List<String> changes = new ArrayList<>();
        tail.addListener((ListChangeListener<Long>) change -> {
            while (change.next()) {
                changes.add((change.wasRemoved() ? "-" + change.getRemovedSize() + "@" + change.getFrom() : "")
                        + (change.wasAdded() ? "+" + change.getAddedSize() + "@" + change.getFrom() : ""));
            }
        });

        rows.growEveryEvent(TailList.SIZE + 3);

        assertThat(changes).containsExactly("-3@0", "+3@" + (TailList.SIZE - 3));
        assertThat(tail.get(0)).isEqualTo(4L);
    }

    @Test
    void findsARowOfTheTailByItsSeq() {
        SeqList rows = new SeqList();
        rows.growEveryEvent(TailList.SIZE + 100);
        TailList tail = new TailList(rows);

        assertThat(tail.indexOf(101L)).isZero();
        assertThat(tail.indexOf((long) TailList.SIZE + 100)).isEqualTo(TailList.SIZE - 1);
        assertThat(tail.indexOf(100L)).isEqualTo(-1); // in the whole list, not in its tail
        assertThat(tail.contains(150L)).isTrue();
    }

    @Test
    void aFilterReplacesTheTailWhole() {
        SeqList rows = new SeqList();
        rows.growEveryEvent(5000);
        TailList tail = new TailList(rows);

        rows.showOnly(new long[] {7, 70, 700}, 3);

        assertThat(tail).containsExactly(7L, 70L, 700L);
        rows.append(new long[] {7000}, 1);
        assertThat(tail).containsExactly(7L, 70L, 700L, 7000L);
    }
}
