package io.bpfscope.ui.filter;

import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.filter.Filter;
import io.bpfscope.filter.FilterException;
import io.bpfscope.ui.common.ErrorDisplay;
import io.bpfscope.ui.common.UiSettings;
import java.io.IOException;
import java.util.function.Predicate;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;

/**
 * The display filter bar: the text typed, whether it compiles (checked as
 * the user types; the view debounces), the filter applied with Enter, and
 * the history of applied filters. It is the one record of what the table
 * shows: a span dragged on the timeline, a stream followed, "Apply as
 * filter" all write filter text here, which the user can read and edit.
 * {@link #predicateProperty()} is what the table shows: null for everything.
 * FX thread only.
 */
public final class FilterViewModel {
    /** What the typed text is. */
    public enum State { EMPTY, VALID, INVALID }

    private final ErrorDisplay errors;
    private final UiSettings settings;
    private final StringProperty text = new SimpleStringProperty("");
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.EMPTY);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final ReadOnlyIntegerWrapper problemColumn = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyObjectWrapper<Filter> applied = new ReadOnlyObjectWrapper<>(Filter.ALL);
    private final ReadOnlyObjectWrapper<TimeRange> timeRange = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Predicate<DecodedRecord>> predicate = new ReadOnlyObjectWrapper<>();

    private java.util.function.Supplier<java.util.Collection<String>> moreFields = java.util.List::of;

    /** Where the field names of the shown capture's tracepoints come from, so filters may name them. */
    public void setFieldSource(java.util.function.Supplier<java.util.Collection<String>> fields) {
        this.moreFields = fields;
    }

    public FilterViewModel(ErrorDisplay errors, UiSettings settings) {
        this.errors = errors;
        this.settings = settings;
        applied.addListener((obs, old, now) -> {
            timeRange.set(TimeRange.in(now.text()));
            predicate.set(now.passesEverything() ? null : now);
        });
    }

    /** The text in the filter field. */
    public StringProperty textProperty() {
        return text;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** Why the text does not compile, e.g. {@code column 9: expected a value after '=='}; empty when it does. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** The 1-based column of the problem, 0 when there is none. */
    public ReadOnlyIntegerProperty problemColumnProperty() {
        return problemColumn.getReadOnlyProperty();
    }

    /** The filter the table shows. */
    public ReadOnlyObjectProperty<Filter> appliedProperty() {
        return applied.getReadOnlyProperty();
    }

    /** The span of time the applied filter names (as a timeline drag writes it), or null: the timeline shades it. */
    public ReadOnlyObjectProperty<TimeRange> timeRangeProperty() {
        return timeRange.getReadOnlyProperty();
    }

    /** A span dragged on the timeline: the filter applied now, restricted to it (an earlier span replaced). */
    public boolean applyTimeSpan(TimeRange span) {
        return apply(FilterExpressions.withTimeSpan(applied.get().text(), span));
    }

    /** The applied filter as a test; null when everything passes. */
    public ReadOnlyObjectProperty<Predicate<DecodedRecord>> predicateProperty() {
        return predicate.getReadOnlyProperty();
    }

    public ObservableList<String> history() {
        return settings.filterHistory();
    }

    /** Compiles the text to colour the field; applies nothing. Returns the filter, or null when it does not compile. */
    public Filter check() {
        String typed = text.get() == null ? "" : text.get();
        try {
            java.util.Set<String> known = new java.util.TreeSet<>(io.bpfscope.filter.FieldCatalog.probeFieldNames());
            known.addAll(moreFields.get());
            Filter filter = Filter.compile(typed, known, java.time.ZoneId.systemDefault());
            state.set(typed.isBlank() ? State.EMPTY : State.VALID);
            problem.set("");
            problemColumn.set(0);
            return filter;
        } catch (FilterException e) {
            state.set(State.INVALID);
            problem.set(e.getMessage());
            problemColumn.set(e.column());
            return null;
        }
    }

    /** Enter: applies the text if it compiles (and remembers it); otherwise the field stays red and nothing changes. */
    public boolean apply() {
        Filter filter = check();
        if (filter == null) {
            return false;
        }
        applied.set(filter);
        if (!filter.text().isBlank()) {
            try {
                settings.addFilter(filter.text().strip());
            } catch (IOException e) {
                errors.show("saving the filter history", e);
            }
        }
        return true;
    }

    /** Sets the text and applies it. */
    public boolean apply(String filterText) {
        text.set(filterText);
        return apply();
    }

    /** "Apply as filter" with {@code expression} joined to the filter applied now. */
    public boolean applyAs(String expression, FilterExpressions.Join join) {
        return apply(FilterExpressions.join(applied.get().text(), expression, join));
    }

    /** Shows everything again. */
    public void clear() {
        apply("");
    }
}
