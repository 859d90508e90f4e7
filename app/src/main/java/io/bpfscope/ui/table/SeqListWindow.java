package io.bpfscope.ui.table;

import java.util.Objects;
import javafx.collections.ObservableListBase;

/**
 * Consecutive rows of a {@link SeqList}, from {@link #start()}: the part of it the table holds
 * ({@link TailList} while it follows, {@link RowWindow} otherwise), as JavaFX's table walks every row
 * of the list it is given. The subclasses move {@link #start} and {@link #size} and tell the change.
 * FX thread only.
 */
abstract class SeqListWindow extends ObservableListBase<Long> {
    final SeqList rows;
    int start;
    int size;

    SeqListWindow(SeqList rows) {
        this.rows = rows;
    }

    /** The index in the whole list of this list's first row. */
    int start() {
        return start;
    }

    /** The index in this list of row {@code index} of the whole list, or -1 when it lies outside. */
    int toWindow(int index) {
        return index >= start && index < start + size ? index - start : -1;
    }

    @Override
    public Long get(int index) {
        Objects.checkIndex(index, size);
        return rows.seqAt(start + index);
    }

    @Override
    public int size() {
        return size;
    }

    /** By the whole list's search (a binary one), not a walk that boxes every row. */
    @Override
    public int indexOf(Object o) {
        return o instanceof Long seq ? toWindow(rows.indexOf(seq.longValue())) : -1;
    }

    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }
}
