package io.bpfscope.ui.table;

import io.bpfscope.capture.store.Conversations;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.ui.filter.FilterExpressions;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * The event table: a virtualised view of seq numbers whose cells decode on
 * demand, rows tinted by probe, a column chooser, "Apply as filter" on a
 * cell's context menu, and autoscroll that pauses when the user scrolls up.
 */
public final class EventTable {
    /** What the table asks of the window. */
    public interface Actions {
        void applyAsFilter(String expression, FilterExpressions.Join join);

        void follow(long seq);
    }

    private final EventTableViewModel viewModel;
    private final Actions actions;
    private final TableView<Long> table = new TableView<>();
    private final TailList tail;
    private final RowWindow window;
    /** The whole list's scroll bar while the table holds only a window of it (a long capture). */
    private final ScrollBar overview = new ScrollBar();
    private final HBox root;
    private boolean syncingOverview;
    private ScrollBar innerBar;
    private boolean moveQueued;
    /** Set by the user's own scrolling (wheel, keys): only that moves the window at its edges, not a jump's settling. */
    private boolean userScrolled;

    public EventTable(EventTableViewModel viewModel, Actions actions, String placeholder) {
        this.viewModel = viewModel;
        this.actions = actions;
        this.tail = new TailList(viewModel.rows());
        this.window = new RowWindow(viewModel.rows());
        table.setId("event-table");
        table.setItems(viewModel.followingProperty().get() ? tail : window);
        root = new HBox(table, overview);
        HBox.setHgrow(table, Priority.ALWAYS);
        installOverview();
        viewModel.followingProperty().addListener((obs, old, following) -> showRows(following));
        Label empty = new Label(placeholder);
        empty.setId("event-table-placeholder");
        table.setPlaceholder(empty);
        // with a filter applied, an empty table means no event matches, not that there are none
        Runnable say = () -> empty.setText(viewModel.isFiltered()
                ? "No event matches the filter. Edit it, or Clear to show every event." : placeholder);
        viewModel.filteringProperty().addListener((obs, old, now) -> say.run());
        viewModel.rows().addListener((ListChangeListener<Long>) change -> say.run());
        table.setFixedCellSize(22);
        table.setTableMenuButtonVisible(true);
        table.getSelectionModel().setSelectionMode(SelectionMode.SINGLE);
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        for (EventColumns.Column column : EventColumns.all()) {
            table.getColumns().add(column(column));
        }
        TableColumn<Long, ?> host = table.getColumns().get(EventColumns.all().indexOf(EventColumns.HOST));
        host.setVisible(viewModel.severalHostsProperty().get());
        viewModel.severalHostsProperty().addListener((obs, old, several) -> host.setVisible(several));
        table.setRowFactory(t -> new ProbeRow());
        bindSelection();
        watchScrolling();
        viewModel.revealRequestProperty().addListener((obs, old, seq) -> {
            if (seq != null) {
                reveal(seq);
                viewModel.revealRequestProperty().set(null);
            }
        });
    }

    public TableView<Long> control() {
        return table;
    }

    public Node root() {
        return root;
    }

    /** After new rows: keeps the last row in view while following. */
    public void followIfAsked() {
        if (viewModel.followingProperty().get() && !table.getItems().isEmpty()) {
            // scrollTo(index) sums every row's height (O(rows) in JavaFX 21); the flow's end is O(1).
            VirtualFlow<?> flow = flow();
            if (flow != null) {
                flow.setPosition(1.0);
            } else {
                table.scrollTo(table.getItems().size() - 1);
            }
        }
    }

    /**
     * Following shows only the tail of the rows (see {@link TailList}); the
     * whole list comes back, at the same place, when following stops.
     */
    private void showRows(boolean following) {
        if (following) {
            table.setItems(tail);
            table.layout(); // the flow takes the new rows now, or it would start them at the top after this
            followIfAsked();
            return;
        }
        Long firstVisible = null;
        VirtualFlow<?> flow = flow();
        if (flow != null && flow.getFirstVisibleCell() != null) {
            int index = flow.getFirstVisibleCell().getIndex();
            if (index >= 0 && index < table.getItems().size()) {
                firstVisible = table.getItems().get(index);
            }
        }
        Long selectedSeq = table.getSelectionModel().getSelectedItem();
        userScrolled = false;
        int top = firstVisible == null ? 0 : Math.max(0, viewModel.rows().indexOf(firstVisible.longValue()));
        window.showAround(top);
        table.setItems(window);
        if (selectedSeq != null) {
            int index = window.indexOf(selectedSeq);
            if (index >= 0) {
                table.getSelectionModel().clearAndSelect(index);
            }
        }
        if (firstVisible != null) {
            table.scrollTo(Math.max(0, window.toWindow(top)));
        }
    }

    /** How many rows the table shows: all of them, also while it displays only their tail. */
    public int rowCount() {
        return viewModel.rows().size();
    }

    /** Selects the row for {@code seq} (or the first shown after it) and scrolls to it. */
    public void reveal(long seq) {
        int index = viewModel.indexForSeq(seq);
        if (index < 0) {
            return;
        }
        userScrolled = false;
        viewModel.followingProperty().set(false);
        window.showAround(index);
        table.getSelectionModel().clearAndSelect(window.toWindow(index));
        table.scrollTo(Math.max(0, window.toWindow(index) - 5));
        VirtualFlow<?> flow = flow();
        if (flow != null && window.toWindow(index) > window.size() - 60) {
            flow.scrollTo(window.toWindow(index)); // near the end, scrolling a row to the top leaves the last one hidden
        }
    }

    /** Shows row {@code index} of the whole list at the top (the overview bar, Home); stops following. */
    private void scrollToRow(int index) {
        userScrolled = false;
        viewModel.followingProperty().set(false);
        window.showAround(index);
        reselect();
        table.scrollTo(Math.max(0, window.toWindow(index)));
    }

    /** After the window moved: the selected event is selected again where it now is, if it is in the window. */
    private void reselect() {
        long seq = viewModel.selectedProperty().get();
        int index = seq > 0 ? window.indexOf(seq) : -1;
        if (index >= 0) {
            table.getSelectionModel().clearAndSelect(index);
        }
    }

    /**
     * The overview bar spans every row while the table holds a window of them; it stands in for the
     * table's own vertical bar, which then is hidden. Scrolling near a window's edge moves the window.
     */
    private void installOverview() {
        overview.setId("event-table-overview");
        overview.setOrientation(javafx.geometry.Orientation.VERTICAL);
        overview.setMin(0);
        overview.setUnitIncrement(1);
        overview.valueProperty().addListener((obs, old, value) -> {
            if (!syncingOverview) {
                if (value.doubleValue() >= overview.getMax() - 0.5) {
                    viewModel.followingProperty().set(true); // dragged to the end: follow, as the inner bar does
                } else {
                    scrollToRow((int) Math.round(value.doubleValue()));
                }
            }
        });
        overview.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_PRESSED, e -> viewModel.followingProperty().set(false));
        viewModel.rows().addListener((ListChangeListener<Long>) change -> syncOverview());
        table.itemsProperty().addListener((obs, old, items) -> syncOverview());
        table.skinProperty().addListener((obs, old, skin) -> javafx.application.Platform.runLater(() -> {
            VirtualFlow<?> flow = flow();
            if (flow != null) {
                flow.positionProperty().addListener((o, before, now) -> {
                    syncOverview();
                    if (userScrolled) {
                        moveWindowNearEdge();
                    }
                });
            }
            syncOverview();
        }));
        syncOverview();
    }

    /** The overview bar shows where the rows on screen are in the whole list; shown only when it is needed. */
    private void syncOverview() {
        int total = viewModel.rows().size();
        boolean needed = total > RowWindow.SIZE;
        ScrollBar inner = innerBar();
        if (needed != overview.isVisible()) { // each pulse of a live capture comes here: only changes
            overview.setVisible(needed);
            overview.setManaged(needed);
        }
        if (inner != null && inner.isMouseTransparent() != needed) { // hidden while the overview bar stands in for it
            inner.setOpacity(needed ? 0 : 1);
            inner.setMouseTransparent(needed);
            inner.setMaxWidth(needed ? 0 : Region.USE_COMPUTED_SIZE);
            inner.setPrefWidth(needed ? 0 : Region.USE_COMPUTED_SIZE);
            inner.setMinWidth(needed ? 0 : Region.USE_COMPUTED_SIZE);
        }
        if (!needed) {
            return;
        }
        VirtualFlow<?> flow = flow();
        int onScreen = flow == null || flow.getFirstVisibleCell() == null || flow.getLastVisibleCell() == null ? 30
                : Math.max(1, flow.getLastVisibleCell().getIndex() - flow.getFirstVisibleCell().getIndex());
        syncingOverview = true;
        try {
            overview.setMax(Math.max(0, total - onScreen));
            overview.setVisibleAmount(Math.max(1, onScreen * (double) total / Math.max(1, total - onScreen)));
            overview.setBlockIncrement(onScreen);
            overview.setValue(Math.min(overview.getMax(), firstVisibleRow()));
        } finally {
            syncingOverview = false;
        }
    }

    /** The index in the whole list of the first row on screen. */
    private int firstVisibleRow() {
        VirtualFlow<?> flow = flow();
        int local = flow == null || flow.getFirstVisibleCell() == null ? 0 : Math.max(0, flow.getFirstVisibleCell().getIndex());
        return local + (table.getItems() == tail ? tail.start() : window.start());
    }

    /** Scrolled near the window's edge with more rows beyond it: the window moves, keeping the same rows on screen. */
    private void moveWindowNearEdge() {
        VirtualFlow<?> flow = flow();
        if (moveQueued || table.getItems() != window || !window.isPartial() || flow == null
                || flow.getFirstVisibleCell() == null || flow.getLastVisibleCell() == null) {
            return;
        }
        int margin = RowWindow.SIZE / 10;
        boolean nearTop = flow.getFirstVisibleCell().getIndex() < margin && window.start() > 0;
        boolean nearEnd = flow.getLastVisibleCell().getIndex() > window.size() - margin
                && window.start() + window.size() < viewModel.rows().size();
        if (nearTop || nearEnd) {
            moveQueued = true; // not during the flow's own layout
            javafx.application.Platform.runLater(() -> {
                moveQueued = false;
                userScrolled = false;
                if (table.getItems() == window) {
                    int top = firstVisibleRow();
                    if (window.showAround(top)) {
                        reselect();
                        table.scrollTo(window.toWindow(top));
                    }
                }
            });
        }
    }

    /** The table's own vertical scroll bar, or null before its skin exists (looked up once). */
    private ScrollBar innerBar() {
        if (innerBar == null || innerBar.getScene() == null) {
            innerBar = null;
            for (Node node : table.lookupAll(".scroll-bar")) {
                if (node instanceof ScrollBar bar && bar.getOrientation() == javafx.geometry.Orientation.VERTICAL) {
                    innerBar = bar;
                }
            }
        }
        return innerBar;
    }

    private TableColumn<Long, Long> column(EventColumns.Column spec) {
        TableColumn<Long, Long> column = new TableColumn<>(spec.title());
        column.setId("column-" + spec.title());
        column.setPrefWidth(spec.width());
        column.setSortable(false);
        column.setReorderable(true);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue()));
        column.setCellFactory(c -> new EventCell(spec));
        if (spec == EventColumns.LENGTH || spec == EventColumns.PID || spec == EventColumns.TID
                || spec == EventColumns.SEQ || spec == EventColumns.DELTA) {
            column.getStyleClass().add("numeric");
        }
        return column;
    }

    /** A cell: decodes its row's record (cached) and shows one column of it. */
    private final class EventCell extends TableCell<Long, Long> {
        private final EventColumns.Column spec;

        EventCell(EventColumns.Column spec) {
            this.spec = spec;
            setOnContextMenuRequested(e -> {
                if (getItem() != null) {
                    contextMenu(spec, getItem()).show(this, e.getScreenX(), e.getScreenY());
                    e.consume();
                }
            });
        }

        @Override
        protected void updateItem(Long seq, boolean empty) {
            super.updateItem(seq, empty);
            if (empty || seq == null) {
                setText(null);
                return;
            }
            DecodedRecord record = viewModel.record(seq);
            if (record == null) {
                setText("?");
            } else if (spec == EventColumns.DELTA) {
                setText(delta(record));
            } else {
                setText(String.valueOf(spec.value().apply(record)));
            }
        }

        private String delta(DecodedRecord record) {
            int index = viewModel.rows().indexOf(record.seq()); // the whole list's row before, also in the tail
            if (index <= 0) {
                return "0.000000";
            }
            DecodedRecord previous = viewModel.record(viewModel.rows().seqAt(index - 1));
            return previous == null ? "" : EventColumns.delta(previous.time(), record.time());
        }
    }

    private ContextMenu contextMenu(EventColumns.Column spec, long seq) {
        ContextMenu menu = new ContextMenu();
        DecodedRecord record = viewModel.record(seq);
        if (record == null) {
            return menu;
        }
        Object value = spec.value().apply(record);
        if (spec.field() != null && !String.valueOf(value).isEmpty()) {
            String expression = FilterExpressions.equalTo(spec.field(), value);
            Menu apply = new Menu("Apply as filter: " + expression);
            apply.setId("apply-as-filter");
            apply.getItems().addAll(
                    filterItem("Selected", expression, FilterExpressions.Join.REPLACE),
                    filterItem("Not selected", expression, FilterExpressions.Join.AND_NOT),
                    filterItem("… and selected", expression, FilterExpressions.Join.AND),
                    filterItem("… or selected", expression, FilterExpressions.Join.OR));
            menu.getItems().add(apply);
        }
        MenuItem follow = new MenuItem("Follow stream");
        follow.setDisable(Conversations.key(record).isEmpty());
        follow.setOnAction(e -> actions.follow(seq));
        MenuItem copyValue = new MenuItem("Copy value");
        copyValue.setOnAction(e -> copy(String.valueOf(value)));
        MenuItem copyRow = new MenuItem("Copy row");
        copyRow.setOnAction(e -> copy(rowText(record)));
        menu.getItems().addAll(new SeparatorMenuItem(), follow, copyValue, copyRow);
        return menu;
    }

    private MenuItem filterItem(String label, String expression, FilterExpressions.Join join) {
        MenuItem item = new MenuItem(label);
        item.setOnAction(e -> actions.applyAsFilter(expression, join));
        return item;
    }

    private static String rowText(DecodedRecord record) {
        StringBuilder text = new StringBuilder();
        for (EventColumns.Column column : EventColumns.all()) {
            if (column != EventColumns.DELTA) {
                text.append(text.length() == 0 ? "" : "\t").append(column.value().apply(record));
            }
        }
        return text.toString();
    }

    private static void copy(String text) {
        ClipboardContent content = new ClipboardContent();
        content.putString(text);
        Clipboard.getSystemClipboard().setContent(content);
    }

    /** A row, tinted by its probe through a CSS class. */
    private final class ProbeRow extends TableRow<Long> {
        private String tint; // the probe class this row has now, or null

        @Override
        protected void updateItem(Long seq, boolean empty) {
            super.updateItem(seq, empty);
            String wanted = null;
            if (!empty && seq != null) {
                DecodedRecord record = viewModel.record(seq);
                if (record != null) {
                    wanted = io.bpfscope.ui.common.ProbeColors.rowClass(record.probe());
                }
            }
            // Changing a style class re-applies CSS to the row and its cells: only when the probe differs.
            if (!java.util.Objects.equals(wanted, tint)) {
                if (tint != null) {
                    getStyleClass().remove(tint);
                }
                if (wanted != null) {
                    getStyleClass().add(wanted);
                }
                tint = wanted;
            }
        }
    }

    private void bindSelection() {
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, seq) -> {
            if (seq != null) {
                viewModel.selectedProperty().set(seq);
            }
        });
        viewModel.selectedProperty().addListener((obs, old, seq) -> {
            Long shown = table.getSelectionModel().getSelectedItem();
            if (seq.longValue() > 0 && (shown == null || shown.longValue() != seq.longValue())) {
                int index = table.getItems().indexOf(seq.longValue());
                if (index >= 0) {
                    table.getSelectionModel().clearAndSelect(index);
                }
            }
        });
        // A new filter replaces the rows: select the same event again once it is shown.
        viewModel.rows().addListener((ListChangeListener<Long>) change -> {
            long seq = viewModel.selectedProperty().get();
            if (seq > 0 && table.getSelectionModel().isEmpty()) {
                int index = table.getItems().indexOf(seq);
                if (index >= 0) {
                    table.getSelectionModel().clearAndSelect(index);
                    if (!viewModel.followingProperty().get()) {
                        table.scrollTo(Math.max(0, index - 5));
                    }
                }
            }
        });
    }

    /** Scrolling up pauses autoscroll; coming back to the last row resumes it. */
    private void watchScrolling() {
        table.addEventFilter(ScrollEvent.SCROLL, e -> {
            userScrolled = true;
            if (e.getDeltaY() > 0) {
                viewModel.followingProperty().set(false);
            }
        });
        table.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            KeyCode code = e.getCode();
            userScrolled = code.isNavigationKey();
            if (code == KeyCode.HOME && (table.getItems() != window || window.start() > 0)) {
                scrollToRow(0); // the whole list's first row, not the window's
                table.getSelectionModel().clearAndSelect(0);
                e.consume();
            } else if (code == KeyCode.UP || code == KeyCode.PAGE_UP || code == KeyCode.HOME) {
                viewModel.followingProperty().set(false);
            } else if (code == KeyCode.END) {
                viewModel.followingProperty().set(true);
            }
        });
        table.skinProperty().addListener((obs, old, skin) -> javafx.application.Platform.runLater(() -> {
            ScrollBar bar = innerBar();
            if (bar != null) {
                bar.valueProperty().addListener((o, before, now) -> {
                    if (bar.isPressed() || bar.isHover()) {
                        viewModel.followingProperty().set(now.doubleValue() >= bar.getMax() - 1e-6);
                    }
                });
            }
        }));
    }

    /** True when the rows on screen include event {@code seq} (laid out, so drawn in the frame that follows). */
    public boolean showsSeq(long seq) {
        VirtualFlow<?> flow = flow();
        if (flow == null || flow.getFirstVisibleCell() == null || flow.getLastVisibleCell() == null) {
            return false;
        }
        for (int i = flow.getFirstVisibleCell().getIndex(); i <= flow.getLastVisibleCell().getIndex(); i++) {
            if (i >= 0 && i < table.getItems().size() && table.getItems().get(i) == seq) {
                return true;
            }
        }
        return false;
    }

    /** True when rows are on screen. */
    public boolean showsRows() {
        VirtualFlow<?> flow = flow();
        return flow != null && flow.getFirstVisibleCell() != null && flow.getFirstVisibleCell().getItem() != null;
    }

    /** True when the last row is on screen. */
    public boolean isAtEnd() {
        VirtualFlow<?> flow = flow();
        if (flow == null || flow.getLastVisibleCell() == null) {
            return true;
        }
        int offset = table.getItems() == tail ? tail.start() : window.start();
        return offset + flow.getLastVisibleCell().getIndex() >= viewModel.rows().size() - 2;
    }

    /** The table's scrolling flow, or null before its skin exists. */
    private VirtualFlow<?> flow() {
        return table.lookup(".virtual-flow") instanceof VirtualFlow<?> flow ? flow : null;
    }
}
