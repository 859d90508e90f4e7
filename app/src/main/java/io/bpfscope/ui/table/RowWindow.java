package io.bpfscope.ui.table;

import java.util.Collections;
import javafx.collections.ListChangeListener;

/**
 * At most {@link #SIZE} consecutive rows of a {@link SeqList}, from {@link #start()}: what the table
 * holds while it does not follow. JavaFX 21's table and its VirtualFlow walk their rows on a far jump
 * ({@code scrollTo}, the estimated size), seconds at 100 million rows; over a window they walk at most
 * {@link #SIZE}, and a jump moves the window ({@link #showAround}) in O(1). Rows added beyond a full
 * window change nothing here. The table's own overview scroll bar covers the whole list (EventTable).
 * FX thread only.
 */
final class RowWindow extends SeqListWindow {
    static final int SIZE = 2_000;

    RowWindow(SeqList rows) {
        super(rows);
        rows.addListener((ListChangeListener<Long>) change -> rowsChanged(TailList.onlyAppended(change)));
        size = Math.min(SIZE, rows.size());
    }

    /** True when the window holds fewer rows than the whole list. */
    boolean isPartial() {
        return size < rows.size();
    }

    /**
     * Moves the window so that row {@code index} of the whole list is near its middle (or as near as the
     * list's ends allow); returns false when it did not have to move.
     */
    boolean showAround(int index) {
        int newSize = Math.min(SIZE, rows.size());
        int newStart = Math.max(0, Math.min(rows.size() - newSize, index - SIZE / 2));
        if (newStart == start && newSize == size) {
            return false;
        }
        replaceWith(newStart, newSize);
        return true;
    }

    /** Rows added at the end fill a window that is not full; anything else shows the list's start again. */
    private void rowsChanged(boolean onlyAppended) {
        if (onlyAppended && start + size <= rows.size()) {
            int newSize = Math.min(SIZE, rows.size() - start);
            if (newSize > size) {
                int from = size;
                size = newSize;
                beginChange();
                nextAdd(from, size);
                endChange();
            }
            return;
        }
        replaceWith(0, Math.min(SIZE, rows.size()));
    }

    private void replaceWith(int newStart, int newSize) {
        beginChange();
        if (size > 0) {
            // the removed rows' values do not matter to the table: a list of the right size, O(1)
            nextRemove(0, Collections.nCopies(size, 0L));
        }
        start = newStart;
        size = newSize;
        if (size > 0) {
            nextAdd(0, size);
        }
        endChange();
    }
}
