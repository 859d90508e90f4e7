package io.bpfscope.ui;

import io.bpfscope.ui.common.Icons;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCombination;

/** The menu bar: File, Edit, View, Capture, Analyze, Help; each item calls the window. */
final class MainMenu {
    private MainMenu() {
    }

    static MenuBar build(MainWindow window, MainViewModel viewModel) {
        Menu recent = new Menu("Open Recent");
        recent.setId("menu-recent");
        recent.setOnShowing(e -> fillRecent(recent, window, viewModel));
        fillRecent(recent, window, viewModel);
        Menu file = new Menu("_File", null,
                item("_Open…", "Shortcut+O", Icons.open(), window::openFile),
                recent,
                item("_Save…", "Shortcut+S", Icons.save(), viewModel::save),
                item("_Export…", "Shortcut+E", Icons.export(), window::showExport),
                item("_Close", "Shortcut+W", null, window::closeCapture),
                new SeparatorMenuItem(),
                item("Add _remote host…", null, null, window::addRemoteHost),
                new SeparatorMenuItem(),
                item("_Quit", "Shortcut+Q", null, window::quit));

        Menu edit = new Menu("_Edit", null,
                item("_Find (display filter)", "Shortcut+F", Icons.filter(), window::focusFilter),
                item("_Go to event…", "Shortcut+G", null, window::showGoTo),
                item("Clear _filter", null, null, viewModel.filter()::clear));

        CheckMenuItem autoscroll = new CheckMenuItem("_Autoscroll (Space)");
        autoscroll.selectedProperty().bindBidirectional(viewModel.table().followingProperty());
        CheckMenuItem dark = new CheckMenuItem("_Dark theme");
        dark.setId("menu-dark-theme");
        dark.selectedProperty().bindBidirectional(viewModel.settings().darkThemeProperty());
        CheckMenuItem probes = new CheckMenuItem("_Probe panel");
        probes.selectedProperty().bindBidirectional(window.probePanelShownProperty());
        CheckMenuItem timeline = new CheckMenuItem("_Timeline");
        timeline.selectedProperty().bindBidirectional(window.timelineShownProperty());
        Menu view = new Menu("_View", null, autoscroll, dark, new SeparatorMenuItem(), probes, timeline);

        Menu capture = new Menu("_Capture", null,
                item("_Attach ticked probes", null, Icons.attach(), window::attach),
                item("_Detach ticked probes", null, Icons.detach(), viewModel::detachSelected),
                new SeparatorMenuItem(),
                item("_TLS coverage…", null, null, () -> GenericTools.showTlsCoverage(window.root(), viewModel)));
        capture.setDisable(viewModel.isOffline());

        Menu analyze = new Menu("_Analyze", null,
                item("_Follow stream", "Shortcut+Shift+F", Icons.follow(), window::followSelected),
                item("_Statistics…", null, Icons.statistics(), window::showStatistics),
                item("Function _latency (functop)…", null, null, () -> GenericTools.showFunctop(window.root(), viewModel)),
                // DuckDB loads with the first query, never at start-up (ui.sql is reached only from here)
                item("S_QL…", "Shortcut+Shift+Q", null,
                        () -> io.bpfscope.ui.sql.SqlWindow.open(window.root().getScene().getWindow(),
                                () -> viewModel.captureProperty().get(), viewModel.filter()::apply, viewModel.tasks(),
                                viewModel::pathChooser)));

        Menu help = new Menu("_Help", null,
                item("_Filter syntax", null, null, window::showFilterHelp),
                item("_Keyboard shortcuts", null, null, window::showShortcuts),
                new SeparatorMenuItem(),
                item("_About bpfscope", null, null, window::showAbout));
        MenuBar bar = new MenuBar(file, edit, view, capture, analyze, help);
        bar.setId("menu-bar");
        return bar;
    }

    private static void fillRecent(Menu recent, MainWindow window, MainViewModel viewModel) {
        recent.getItems().clear();
        for (String path : viewModel.settings().recentFiles()) {
            MenuItem item = new MenuItem(path);
            item.setMnemonicParsing(false);
            item.setDisable(!Files.isReadable(Path.of(path)));
            item.setOnAction(e -> window.openFile(path));
            recent.getItems().add(item);
        }
        if (recent.getItems().isEmpty()) {
            MenuItem none = new MenuItem("(none yet)");
            none.setDisable(true);
            recent.getItems().add(none);
        }
    }

    private static MenuItem item(String text, String accelerator, javafx.scene.Node icon, Runnable action) {
        MenuItem item = new MenuItem(text, icon);
        if (accelerator != null) {
            item.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        item.setOnAction(e -> action.run());
        return item;
    }
}
