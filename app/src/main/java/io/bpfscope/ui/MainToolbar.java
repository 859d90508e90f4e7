package io.bpfscope.ui;

import io.bpfscope.ui.common.Icons;
import io.bpfscope.ui.common.Tips;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.ToolBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/** The toolbar under the menu: files, attach and detach, follow and statistics; and the brand. */
final class MainToolbar {
    private MainToolbar() {
    }

    static Node build(MainWindow window, MainViewModel viewModel) {
        Button open = toolButton("Open", Icons.open(), "Open a capture (Ctrl+O)", window::openFile);
        open.setId("tool-open");
        Button save = toolButton("Save", Icons.save(), "Save the capture as .bscap (Ctrl+S)", viewModel::save);
        Button export = toolButton("Export", Icons.export(), "Export as JSON Lines, CSV or pcapng (Ctrl+E)",
                window::showExport);
        export.setId("tool-export");
        Button attach = toolButton("Attach", Icons.attach(), "Attach the ticked probes", window::attach);
        Button detach = toolButton("Detach", Icons.detach(), "Detach the ticked probes", viewModel::detachSelected);
        attach.disableProperty().bind(viewModel.probePanel().attachBlockedProperty().isNotEmpty()
                .or(new javafx.beans.property.SimpleBooleanProperty(viewModel.isOffline())));
        detach.setDisable(viewModel.isOffline());
        Button follow = toolButton("Follow", Icons.follow(), "Follow the selected event's stream (Ctrl+Shift+F)",
                window::followSelected);
        follow.setId("tool-follow");
        Button statistics = toolButton("Statistics", Icons.statistics(), "Counts per probe, process, file, host",
                window::showStatistics);
        statistics.setId("tool-statistics");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Label brand = new Label("bpfscope", Icons.logo(18));
        brand.getStyleClass().add("brand");
        ToolBar bar = new ToolBar(open, save, export, new Separator(), attach, detach, new Separator(), follow, statistics,
                grow, brand);
        bar.getStyleClass().add("main-toolbar");
        return bar;
    }

    private static Button toolButton(String text, Node icon, String tip, Runnable action) {
        Button button = new Button(text, icon);
        Tips.lazy(button, tip);
        button.setOnAction(e -> action.run());
        button.setFocusTraversable(false);
        return button;
    }
}
