package io.bpfscope.ui;

import io.bpfscope.ui.common.Dialogs;
import io.bpfscope.ui.common.FxPathChooser;
import io.bpfscope.ui.common.PathChooser;
import io.bpfscope.ui.common.StartupTrace;
import io.bpfscope.ui.common.Themes;
import io.bpfscope.ui.detail.DetailPane;
import io.bpfscope.ui.files.ExportDialog;
import io.bpfscope.ui.filter.FilterBar;
import io.bpfscope.ui.follow.FollowWindow;
import io.bpfscope.ui.hex.HexPane;
import io.bpfscope.ui.probes.ProbePanel;
import io.bpfscope.ui.sources.RemoteHostDialog;
import io.bpfscope.ui.sources.SourcesBar;
import io.bpfscope.ui.stats.StatisticsWindow;
import io.bpfscope.ui.status.StatusBar;
import io.bpfscope.ui.table.EventTable;
import io.bpfscope.ui.timeline.TimelineView;
import java.io.File;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.ButtonType;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.TextInputDialog;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * The main window, Wireshark's layout: menu and toolbar, the display filter,
 * the probe panel on the left, then the timeline, the event table, and the
 * selected event's detail tree beside its bytes; the status bar below. It
 * drains new events on its own pulse, a bounded amount each time.
 */
public final class MainWindow {
    private final MainViewModel viewModel;
    private final BorderPane root = new BorderPane();
    private final FilterBar filterBar;
    private final EventTable table;
    private final SplitPane main = new SplitPane();
    private final SplitPane right = new SplitPane();
    private final BooleanProperty probePanelShown = new SimpleBooleanProperty(true);
    private final BooleanProperty timelineShown = new SimpleBooleanProperty(true);
    private final WindowPulse pulse;
    /** The panes beside the table, made with the first screen or after it ({@link #otherPanes()}). */
    private OtherPanes otherPanes;

    /** The probe panel, the timeline, and the detail and hex panes below the table. */
    private record OtherPanes(Node probePanel, TimelineView timeline, HexPane hex, Node bottom) {
    }

    public MainWindow(MainViewModel viewModel) {
        this(viewModel, false);
    }

    /**
     * @param firstScreenFirst true: the first frame holds only what a first screen needs (menus, filter,
     *                         table, status bar); the probe panel, timeline and detail and hex panes are
     *                         made and join it in {@link #completeLayout()}, after that frame (their skins,
     *                         CSS and layout took most of a second of the FX thread before the window
     *                         appeared, and making them a tenth of what was left)
     */
    MainWindow(MainViewModel viewModel, boolean firstScreenFirst) {
        this.viewModel = viewModel;
        if (viewModel.pathChooser() == PathChooser.NONE) {
            viewModel.setPathChooser(new FxPathChooser(this::window));
        }
        StartupTrace.mark("view model made");
        filterBar = new FilterBar(viewModel.filter());
        table = new EventTable(viewModel.table(), new EventTable.Actions() {
            @Override
            public void applyAsFilter(String expression, io.bpfscope.ui.filter.FilterExpressions.Join join) {
                viewModel.applyAsFilter(expression, join);
            }

            @Override
            public void follow(long seq) {
                MainWindow.this.follow(seq);
            }
        }, viewModel.isOffline() ? "No events. Open a capture: File > Open (Ctrl+O), or drop one here."
                : "No events yet: tick a probe and press Attach, or open a capture (Ctrl+O).");
        StartupTrace.mark("filter bar, table");
        right.setOrientation(Orientation.VERTICAL);
        right.getItems().add(table.root());
        main.getItems().add(right);
        probePanelShown.addListener((obs, old, shown) -> showPanel(main, otherPanes().probePanel(), shown, 0, 0.2));
        timelineShown.addListener((obs, old, shown) -> showPanel(right, otherPanes().timeline().root(), shown, 0, 0.2));

        VBox top = new VBox(MainMenu.build(this, viewModel), MainToolbar.build(this, viewModel), Banner.build(viewModel),
                filterBar.root());
        StartupTrace.mark("menus, toolbar");
        root.setTop(top);
        root.setCenter(main);
        root.setBottom(new VBox(new SourcesBar(viewModel.sources()).root(),
                new StatusBar(viewModel.status(), viewModel.table().followingProperty(), viewModel.noticeProperty())
                        .root()));
        root.getStyleClass().add("main-window");
        root.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        root.setOnDragDropped(e -> {
            boolean done = false;
            if (e.getDragboard().hasFiles() && !e.getDragboard().getFiles().isEmpty()) {
                File dropped = e.getDragboard().getFiles().get(0);
                openFile(dropped.getPath());
                done = true;
            }
            e.setDropCompleted(done);
            e.consume();
        });
        root.sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null) {
                install(scene);
            }
        });
        viewModel.settings().darkThemeProperty().addListener((obs, old, dark) -> {
            theme(dark);
            saveSettings();
        });
        pulse = new WindowPulse(viewModel, table, () -> {
            if (otherPanes != null) {
                otherPanes.timeline().refresh();
            }
        });
        if (!firstScreenFirst) {
            completeLayout();
        }
        pulse.start();
    }

    /** The panes beside the table, made the first time they are asked for. */
    private OtherPanes otherPanes() {
        if (otherPanes == null) {
            TimelineView timeline = new TimelineView(viewModel.timeline(), viewModel.filter().timeRangeProperty());
            HexPane hex = new HexPane(viewModel.hex());
            DetailPane detail = new DetailPane(viewModel.detail(), viewModel::applyAsFilter);
            Node probePanel = new ProbePanel(viewModel.probePanel(), this::attach, viewModel::detachSelected).root();
            SplitPane bottom = new SplitPane(detail.root(), hex.root());
            bottom.setDividerPositions(0.42);
            SplitPane.setResizableWithParent(probePanel, false);
            SplitPane.setResizableWithParent(timeline.root(), false);
            boolean dark = viewModel.settings().darkThemeProperty().get();
            hex.darkProperty().set(dark);
            timeline.darkProperty().set(dark);
            otherPanes = new OtherPanes(probePanel, timeline, hex, bottom);
            StartupTrace.mark("other panes made");
        }
        return otherPanes;
    }

    /** Adds the panes a first screen does without: the probe panel, the timeline, the detail and hex panes. */
    void completeLayout() {
        OtherPanes panes = otherPanes();
        if (right.getItems().contains(panes.bottom())) {
            return;
        }
        StartupTrace.mark("adding the other panes");
        right.getItems().add(panes.bottom());
        if (timelineShown.get() && !right.getItems().contains(panes.timeline().root())) {
            right.getItems().add(0, panes.timeline().root());
            right.setDividerPositions(0.22, 0.63);
        } else {
            right.setDividerPositions(0.6);
        }
        if (probePanelShown.get() && !main.getItems().contains(panes.probePanel())) {
            main.getItems().add(0, panes.probePanel());
            main.setDividerPositions(0.2);
        }
    }

    /** File → Add remote host…: records there over ssh with the ticked probes; its events join the window's. */
    void addRemoteHost() {
        List<String> ticked = viewModel.probes().stream().filter(r -> r.selectedProperty().get())
                .map(r -> r.probe().name()).toList();
        RemoteHostDialog.ask(window(), ticked, viewModel.sources().defaults()).ifPresent(remote -> {
            try {
                viewModel.sources().addRemote(remote);
            } catch (java.io.IOException | RuntimeException e) {
                viewModel.errors().show("starting ssh to " + remote.label(), e);
            }
        });
    }

    public Parent root() {
        return root;
    }

    public MainViewModel viewModel() {
        return viewModel;
    }

    public String title() {
        return viewModel.titleProperty().get();
    }

    public ReadOnlyStringProperty titleProperty() {
        return viewModel.titleProperty();
    }

    public EventTable table() {
        return table;
    }

    public HexPane hexPane() {
        return otherPanes().hex();
    }

    public TimelineView timeline() {
        return otherPanes().timeline();
    }

    BooleanProperty probePanelShownProperty() {
        return probePanelShown;
    }

    BooleanProperty timelineShownProperty() {
        return timelineShown;
    }

    /** Told how long each pulse's work took, in nanoseconds (for {@link PulseBenchmark}). */
    public void setPulseListener(LongConsumer listener) {
        pulse.setListener(listener);
    }

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

    private static void showPanel(SplitPane pane, Node node, boolean shown, int index, double divider) {
        if (shown && !pane.getItems().contains(node)) {
            pane.getItems().add(index, node);
            pane.setDividerPosition(0, divider);
        } else if (!shown) {
            pane.getItems().remove(node);
        }
    }

    /** Keyboard: Space toggles autoscroll wherever typing is not going on. */
    private void install(Scene scene) {
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() != KeyCode.SPACE || e.isShortcutDown() || e.isAltDown()) {
                return;
            }
            Node focus = scene.getFocusOwner();
            if (focus instanceof TextInputControl || focus instanceof ButtonBase) {
                return;
            }
            viewModel.table().followingProperty().set(!viewModel.table().followingProperty().get());
            if (viewModel.table().followingProperty().get()) {
                table.followIfAsked();
            }
            e.consume();
        });
        theme(viewModel.settings().darkThemeProperty().get());
    }

    private void theme(boolean dark) {
        if (root.getScene() != null) {
            Themes.applyEverywhere(dark);
            Themes.apply(root.getScene(), dark);
        }
        if (otherPanes != null) { // else they are made in this theme
            otherPanes.hex().darkProperty().set(dark);
            otherPanes.timeline().darkProperty().set(dark);
        }
    }

    private void saveSettings() {
        try {
            viewModel.settings().save();
        } catch (java.io.IOException e) {
            viewModel.errors().show("saving the settings", e);
        }
    }

    // ---- actions

    void openFile() {
        whenUnsavedHandled("Opening a capture", viewModel::open);
    }

    void openFile(String path) {
        whenUnsavedHandled("Opening " + path, () -> viewModel.open(path));
    }

    /** Attach: when that starts a new live capture in place of a stopped one, its unsaved events are asked about first. */
    void attach() {
        boolean replacesUnsaved = viewModel.attachStartsNewCapture()
                || !viewModel.isLive() && viewModel.unsavedEvents() > 0; // a capture read from stdin
        if (replacesUnsaved && viewModel.probePanel().hasTicked()
                && viewModel.probePanel().attachBlockedProperty().get().isEmpty()) {
            whenUnsavedHandled("Attaching starts a new capture and", viewModel::attachAfresh);
        } else {
            viewModel.attachAfresh();
        }
    }

    /** File > Close (Ctrl+W): the capture on screen goes, its unsaved events asked about first. */
    void closeCapture() {
        whenUnsavedHandled("Closing the capture", viewModel::closeCapture);
    }

    /**
     * The one question before events are lost — opening, attaching anew, closing, quitting — asked only
     * when the capture on screen has events saved nowhere: Save… (then {@code proceed} once the save
     * worked), Discard ({@code proceed} now) or Cancel (nothing). {@code doing} starts the sentence.
     */
    public void whenUnsavedHandled(String doing, Runnable proceed) {
        long unsaved = viewModel.unsavedEvents();
        if (unsaved == 0) {
            proceed.run();
            return;
        }
        ButtonType save = new ButtonType("Save…", ButtonBar.ButtonData.YES);
        ButtonType discard = new ButtonType("Discard", ButtonBar.ButtonData.NO);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, String.format(
                "%s discards the %,d events of the capture on screen, which are saved nowhere yet.", doing, unsaved),
                save, discard, ButtonType.CANCEL);
        alert.initOwner(window());
        alert.setTitle("bpfscope — unsaved events");
        alert.setHeaderText(String.format("Save the %,d events first?", unsaved));
        alert.getDialogPane().setId("unsaved-question");
        Dialogs.wrap(alert);
        ButtonType answer = alert.showAndWait().orElse(ButtonType.CANCEL);
        if (answer == save) {
            viewModel.saveThen(proceed);
        } else if (answer == discard) {
            proceed.run();
        }
    }

    void focusFilter() {
        filterBar.focus();
    }

    void showExport() {
        ExportDialog dialog = new ExportDialog(viewModel.export(), window());
        dialog.stage().show();
    }

    void showGoTo() {
        TextInputDialog dialog = new TextInputDialog();
        dialog.initOwner(window());
        dialog.setTitle("bpfscope — go to event");
        dialog.setHeaderText("Go to event (its seq number)");
        dialog.showAndWait().map(String::strip).ifPresent(text -> {
            try {
                viewModel.goTo(Long.parseLong(text));
            } catch (NumberFormatException e) {
                viewModel.errors().show(io.bpfscope.ui.common.ErrorDisplay.Kind.SELECT,
                        "go to event: '" + text + "' is not a seq number");
            }
        });
    }

    void followSelected() {
        long seq = viewModel.table().selectedProperty().get();
        if (seq <= 0) {
            viewModel.errors().show(io.bpfscope.ui.common.ErrorDisplay.Kind.SELECT,
                    "select a tls, unix or tcp event to follow its stream");
            return;
        }
        follow(seq);
    }

    /** Opens the Follow Stream window for event {@code seq}'s conversation; returns it (empty if it has none). */
    public Optional<FollowWindow> follow(long seq) {
        return viewModel.follow(seq).map(model -> {
            FollowWindow follow = new FollowWindow(model, window(), viewModel.filter()::apply);
            follow.show();
            return follow;
        });
    }

    /** Opens the Statistics window. */
    public StatisticsWindow showStatistics() {
        StatisticsWindow statistics = new StatisticsWindow(viewModel.statistics(), window());
        statistics.show();
        return statistics;
    }

    void showFilterHelp() {
        HelpDialogs.showFilterHelp(window());
    }

    void showShortcuts() {
        HelpDialogs.showShortcuts(window());
    }

    void showAbout() {
        HelpDialogs.showAbout(window());
    }

    void quit() {
        Window window = window();
        if (window != null) {
            window.fireEvent(new javafx.stage.WindowEvent(window, javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST));
        } else {
            Platform.exit();
        }
    }
}
