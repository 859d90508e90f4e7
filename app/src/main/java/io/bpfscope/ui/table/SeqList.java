package io.bpfscope.ui.table;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableListBase;

/**
 * The seq numbers of the rows shown, ascending, without a boxed Long per row:
 * unfiltered it is the range 1..n and holds nothing at all; filtered, a
 * primitive array. A million rows cost 8 MB filtered and nothing unfiltered.
 * Read-only to the table; changed by {@link EventTableViewModel} on the FX thread.
 */
public final class SeqList extends ObservableListBase<Long> {
    private long[] seqs = new long[0];
    private boolean identity = true;
    private int size;

    @Override
    public Long get(int index) {
        return seqAt(index);
    }

    public long seqAt(int index) {
        Objects.checkIndex(index, size);
        return identity ? index + 1L : seqs[index];
    }

    @Override
    public int size() {
        return size;
    }

    /** True while the list is simply 1..size (no filter). */
    public boolean isEveryEvent() {
        return identity;
    }

    /** Shows 1..n, replacing what was shown. */
    void showEveryEvent(int n) {
        List<Long> old = snapshot();
        identity = true;
        seqs = new long[0];
        size = n;
        replaced(old);
    }

    /** Grows 1..size to 1..n. */
    void growEveryEvent(int n) {
        if (!identity || n <= size) {
            return;
        }
        int from = size;
        size = n;
        beginChange();
        nextAdd(from, n);
        endChange();
    }

    /** Shows exactly {@code values[0..n)}, replacing what was shown. */
    void showOnly(long[] values, int n) {
        List<Long> old = snapshot();
        identity = false;
        seqs = Arrays.copyOf(values, Math.max(n, 16));
        size = n;
        replaced(old);
    }

    /** Appends {@code values[0..n)} (all greater than the last seq shown). */
    void append(long[] values, int n) {
        if (n == 0) {
            return;
        }
        if (identity) {
            throw new IllegalStateException("append to a filtered list only");
        }
        if (size + n > seqs.length) {
            seqs = Arrays.copyOf(seqs, Math.max(size + n, seqs.length * 2));
        }
        System.arraycopy(values, 0, seqs, size, n);
        int from = size;
        size += n;
        beginChange();
        nextAdd(from, size);
        endChange();
    }

    /** The index of the first row whose seq is {@code >= seq} (the last row if none), or -1 when empty. */
    public int nearestIndex(long seq) {
        if (size == 0) {
            return -1;
        }
        if (identity) {
            return (int) Math.max(0, Math.min(size - 1, seq - 1));
        }
        int found = Arrays.binarySearch(seqs, 0, size, seq);
        int index = found >= 0 ? found : -found - 1;
        return Math.min(index, size - 1);
    }

    /** The index of {@code seq}, or -1 when it is not shown. */
    public int indexOf(long seq) {
        int index = nearestIndex(seq);
        return index >= 0 && seqAt(index) == seq ? index : -1;
    }

    @Override
    public int indexOf(Object o) {
        return o instanceof Long ? indexOf(((Long) o).longValue()) : -1;
    }

    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    /**
     * Tells listeners that every row was replaced, in one change whose removed rows are a view.
     * JavaFX's own change builder ({@code nextRemove}) copies the removed rows into a list of boxed
     * Longs: applying a filter to a 58-million-row capture held the FX thread for over 30 s.
     */
    private void replaced(List<Long> old) {
        if (old.isEmpty() && size == 0) {
            return;
        }
        fireChange(new Replacement(this, old, size));
    }

    /** One sub-change: rows [0, added) now stand where {@code removed} stood. */
    private static final class Replacement extends ListChangeListener.Change<Long> {
        private final List<Long> removed;
        private final int added;
        private boolean onIt;
        private boolean done;

        Replacement(SeqList list, List<Long> removed, int added) {
            super(list);
            this.removed = removed;
            this.added = added;
        }

        @Override
        public boolean next() {
            if (done) {
                onIt = false;
                return false;
            }
            onIt = done = true;
            return true;
        }

        @Override
        public void reset() {
            onIt = done = false;
        }

        @Override
        public int getFrom() {
            checkOnIt();
            return 0;
        }

        @Override
        public int getTo() {
            checkOnIt();
            return added;
        }

        @Override
        public List<Long> getRemoved() {
            checkOnIt();
            return removed;
        }

        @Override
        protected int[] getPermutation() {
            checkOnIt();
            return new int[0];
        }

        private void checkOnIt() {
            if (!onIt) {
                throw new IllegalStateException("call next() first");
            }
        }
    }

    /** What is shown now, as a list that does not change (for the removed part of a change). */
    private List<Long> snapshot() {
        long[] values = seqs;
        boolean wasIdentity = identity;
        int n = size;
        return new AbstractList<>() {
            @Override
            public Long get(int index) {
                Objects.checkIndex(index, n);
                return wasIdentity ? index + 1L : values[index];
            }

            @Override
            public int size() {
                return n;
            }
        };
    }
}
