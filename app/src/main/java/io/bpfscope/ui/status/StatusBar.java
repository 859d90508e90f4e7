package io.bpfscope.ui.status;

import io.bpfscope.ui.common.Icons;
import io.bpfscope.ui.common.Tips;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * The status bar: counts on the left, the capture file and its state on the right, the autoscroll toggle
 * and what just happened (opened, saved…: successes and progress, which never go to the error banner) between.
 */
public final class StatusBar {
    private final HBox root;

    public StatusBar(StatusViewModel viewModel, BooleanProperty following, ReadOnlyStringProperty notice) {
        Label events = new Label();
        events.setId("status-line");
        events.textProperty().bind(viewModel.eventsProperty());
        Label lost = new Label();
        lost.setId("status-lost");
        lost.getStyleClass().add("status-lost");
        lost.textProperty().bind(viewModel.lostProperty());
        lost.visibleProperty().bind(viewModel.lostProperty().isNotEmpty());
        lost.managedProperty().bind(lost.visibleProperty());
        ToggleButton autoscroll = new ToggleButton(null, Icons.autoscroll());
        autoscroll.setId("autoscroll");
        autoscroll.selectedProperty().bindBidirectional(following);
        autoscroll.textProperty().bind(Bindings.when(following).then("autoscroll").otherwise("autoscroll paused"));
        Tips.lazy(autoscroll, "Follow new events (Space); scrolling up pauses it");
        autoscroll.getStyleClass().add("status-toggle");
        autoscroll.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Label said = new Label();
        said.setId("status-notice");
        said.getStyleClass().add("notice");
        said.textProperty().bind(notice);
        said.setMinWidth(0);
        Label file = new Label();
        file.setId("status-file");
        file.textProperty().bind(viewModel.fileProperty());
        file.setMinWidth(0);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        root = new HBox(12, events, lost, autoscroll, said, grow, file);
        root.setAlignment(Pos.CENTER_LEFT);
        root.setPadding(new Insets(2, 8, 2, 8));
        root.getStyleClass().add("status-bar");
    }

    public Node root() {
        return root;
    }
}
