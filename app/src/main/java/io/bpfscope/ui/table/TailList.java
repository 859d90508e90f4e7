package io.bpfscope.ui.table;

import java.util.Objects;
import javafx.collections.ListChangeListener;

/**
 * The last {@link #SIZE} rows of a {@link SeqList}, for the table while it
 * follows new events. JavaFX 21's table walks every row when its row count
 * changes, so a table of a million rows that grows ten times a second spends
 * its frames measuring; one that shows only the tail stays cheap however
 * long the capture gets. The table switches to the whole list when the user
 * stops following. FX thread only.
 */
final class TailList extends SeqListWindow {
    /**
     * Several screens of rows, and the whole of a small capture: the flow's layout walks the list it
     * shows on every pulse, so a longer tail costs each of them.
     */
    static final int SIZE = 1_024;

    private long firstSeq; // the seq of this list's first row (for the removed part of a change)

    TailList(SeqList rows) {
        super(rows);
        rows.addListener((ListChangeListener<Long>) change -> update(onlyAppended(change)));
        update(false);
    }

    /**
     * The whole list changed: show its tail again, O(SIZE) whatever its length.
     * New rows at the end are told as rows gone from the front and rows added
     * at the end, so the table keeps its selection; anything else replaces all.
     */
    private void update(boolean onlyAppended) {
        int newSize = Math.min(SIZE, rows.size());
        int newStart = rows.size() - newSize;
        if (onlyAppended && newStart == start && newSize == size) {
            return;
        }
        boolean appended = onlyAppended && size > 0 && newStart >= start;
        beginChange();
        if (appended) {
            int gone = newStart - start;
            if (gone > 0) {
                nextRemove(0, seqs(start, gone));
            }
            int oldEnd = start + size;
            start = newStart;
            size = newSize;
            nextAdd(oldEnd - start, size);
        } else {
            if (size > 0) {
                nextRemove(0, java.util.Collections.nCopies(size, firstSeq)); // their seqs no longer matter
            }
            start = newStart;
            size = newSize;
            if (size > 0) {
                nextAdd(0, size);
            }
        }
        firstSeq = size > 0 ? rows.seqAt(start) : 0;
        endChange();
    }

    /** True when {@code change} only added rows at the end of the list. */
    static boolean onlyAppended(ListChangeListener.Change<? extends Long> change) {
        boolean appended = true;
        while (change.next()) {
            appended &= change.wasAdded() && !change.wasRemoved() && change.getTo() == change.getList().size();
        }
        change.reset();
        return appended;
    }

    /**
     * The rows gone from the front, for the change: a view, not a boxed copy each pulse. Listeners
     * read it during the change, while those rows of the whole list are still what they were.
     */
    private java.util.List<Long> seqs(int from, int count) {
        return new java.util.AbstractList<>() {
            @Override
            public Long get(int index) {
                Objects.checkIndex(index, count);
                return rows.seqAt(from + index);
            }

            @Override
            public int size() {
                return count;
            }
        };
    }
}
