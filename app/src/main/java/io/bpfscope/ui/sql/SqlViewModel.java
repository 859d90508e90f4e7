package io.bpfscope.ui.sql;

import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.io.AtomicOutput;
import io.bpfscope.sql.CaptureDatabase;
import io.bpfscope.sql.ResultCells;
import io.bpfscope.ui.common.ShownCapture;
import io.bpfscope.ui.common.TaskRunner;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Analyze → SQL: the capture shown, loaded into DuckDB the first time a query
 * runs (again after Reload, or when another capture is shown); the query's rows
 * (at most {@link #MAX_ROWS}); a history of the queries run; the rows' events
 * shown in the event table through the filter {@code seq in {…}}; the rows
 * exported as CSV. FX thread only; loading and queries run on the task runner.
 */
public final class SqlViewModel implements AutoCloseable {
    /** Rows a result keeps for the table. */
    public static final int MAX_ROWS = 10_000;
    /** Events the filter can name: a longer filter would be slow to type-check and to read. */
    static final int MAX_FILTER_SEQS = 5_000;

    /** A query's result: its columns and rows, and whether rows were left out. */
    public record Result(List<String> columns, List<String> types, List<List<Object>> rows, boolean more) {
    }

    private final Supplier<ShownCapture> capture;
    private final Consumer<String> applyFilter;
    private final TaskRunner tasks;
    private final StringProperty query = new SimpleStringProperty(
            "SELECT probe, comm, count(*) AS events FROM events GROUP BY ALL ORDER BY events DESC");
    private final ObservableList<String> history = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final javafx.beans.property.ReadOnlyObjectWrapper<Result> result = new javafx.beans.property.ReadOnlyObjectWrapper<>();
    private CaptureDatabase database;
    private Path loadedFile;

    public SqlViewModel(Supplier<ShownCapture> capture, Consumer<String> applyFilter, TaskRunner tasks) {
        this.capture = capture;
        this.applyFilter = applyFilter;
        this.tasks = tasks;
    }

    public StringProperty queryProperty() {
        return query;
    }

    public ObservableList<String> history() {
        return history;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyObjectProperty<Result> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** Runs the query, loading the capture first when it is not loaded yet (or another one is shown). */
    public void run() {
        String text = query.get() == null ? "" : query.get().strip();
        if (text.isEmpty() || running.get()) {
            return;
        }
        Optional<Path> file = capture.get().file();
        if (file.isEmpty()) {
            status.set("no capture: open one or start a live capture first");
            return;
        }
        history.remove(text);
        history.add(0, text);
        running.set(true);
        status.set(database == null || !file.get().equals(loadedFile) ? "loading the capture into DuckDB…" : "running…");
        tasks.run("sql query", () -> execute(file.get(), text), done -> {
            running.set(false);
            result.set(done);
            status.set(String.format("%,d row%s%s", done.rows().size(), done.rows().size() == 1 ? "" : "s",
                    done.more() ? " (the first " + MAX_ROWS + "; add LIMIT or GROUP BY)" : ""));
        }, failure -> {
            running.set(false);
            status.set(failure instanceof SQLException ? CaptureDatabase.oneLine(failure.getMessage())
                    : io.bpfscope.ui.common.ErrorDisplay.describe(failure));
        });
    }

    /** Loads the shown capture anew on the next query (a live capture has grown). */
    public void reload() {
        loadedFile = null;
    }

    /** On the task runner's thread. */
    private Result execute(Path file, String text) throws IOException, SQLException {
        synchronized (this) {
            if (database == null || !file.equals(loadedFile)) {
                if (database != null) {
                    database.close();
                    database = null;
                }
                CaptureDatabase fresh = CaptureDatabase.open();
                try (CaptureSource source = CaptureSource.of(file.toString(), false)) {
                    fresh.load(List.of(source), r -> true, () -> false);
                } catch (IOException | SQLException | RuntimeException e) {
                    fresh.close();
                    throw e;
                }
                database = fresh;
                loadedFile = file;
            }
            List<String> columns = new ArrayList<>();
            List<String> types = new ArrayList<>();
            List<List<Object>> rows = new ArrayList<>();
            boolean more = database.query(text, new CaptureDatabase.Rows() {
                @Override
                public void columns(List<String> names, List<String> columnTypes) {
                    columns.addAll(names);
                    types.addAll(columnTypes);
                }

                @Override
                public void row(Object[] values) {
                    rows.add(java.util.Arrays.asList(values));
                }
            }, MAX_ROWS);
            return new Result(columns, types, rows, more);
        }
    }

    /**
     * Shows the result's events in the event table: a filter {@code seq in {…}} of the
     * {@code seq} column's values, runs of numbers as ranges. False (and a status) when
     * the result has no {@code seq} column or too many.
     */
    public boolean filterEvents() {
        Result shown = result.get();
        int column = shown == null ? -1 : shown.columns().indexOf("seq");
        if (column < 0) {
            status.set("the result has no seq column: select seq to show its events");
            return false;
        }
        TreeSet<Long> seqs = new TreeSet<>();
        for (List<Object> row : shown.rows()) {
            if (row.get(column) instanceof Number number) {
                seqs.add(number.longValue());
            }
        }
        if (seqs.isEmpty() || seqs.size() > MAX_FILTER_SEQS) {
            status.set(seqs.isEmpty() ? "no seq in the result" : String.format("%,d events are more than the filter takes (%,d):"
                    + " narrow the query", seqs.size(), MAX_FILTER_SEQS));
            return false;
        }
        applyFilter.accept(seqFilter(seqs));
        return true;
    }

    /** {@code seq in {1, 4..9, 12}}: consecutive numbers as ranges. */
    static String seqFilter(TreeSet<Long> seqs) {
        List<String> parts = new ArrayList<>();
        Long start = null;
        long previous = 0;
        for (long seq : seqs) {
            if (start != null && seq == previous + 1) {
                previous = seq;
                continue;
            }
            if (start != null) {
                parts.add(start == previous ? Long.toString(start) : start + ".." + previous);
            }
            start = seq;
            previous = seq;
        }
        parts.add(start == previous ? Long.toString(start) : start + ".." + previous);
        return "seq in {" + String.join(", ", parts) + "}";
    }

    /** Writes the result as CSV (as the CSV export writes cells), whole or not at all. */
    public void exportResult(Path target) throws IOException {
        Result shown = result.get();
        if (shown == null) {
            return;
        }
        try (AtomicOutput output = AtomicOutput.open(target, true, capture.get().file().map(List::of).orElse(List.of()))) {
            OutputStream out = output.stream();
            out.write(ResultCells.csvLine(shown.columns()).getBytes(StandardCharsets.UTF_8));
            for (List<Object> row : shown.rows()) {
                out.write(ResultCells.csvLine(row).getBytes(StandardCharsets.UTF_8));
            }
            output.commit();
        }
        status.set(String.format("%,d rows written to %s", shown.rows().size(), target));
    }

    @Override
    public synchronized void close() throws IOException {
        if (database != null) {
            database.close();
            database = null;
        }
    }
}
