package io.bpfscope.ui.follow;

import io.bpfscope.ui.common.Dialogs;
import io.bpfscope.capture.store.Conversations;
import io.bpfscope.ui.common.Icons;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The Follow Stream window: the conversation's events in order, what the
 * traced process sent in red and what it received in blue (as Wireshark
 * does), as text or hex.
 */
public final class FollowWindow {
    private final FollowViewModel viewModel;
    private final Stage stage = new Stage();
    private final ListView<StreamSegment> list = new ListView<>();

    /** @param applyFilter shows this conversation in the main table */
    public FollowWindow(FollowViewModel viewModel, Window owner, Consumer<String> applyFilter) {
        this.viewModel = viewModel;
        list.setId("follow-list");
        list.setItems(viewModel.segments());
        list.setCellFactory(v -> new SegmentCell());
        list.setPlaceholder(new Label("Gathering the conversation…"));
        list.setOnKeyPressed(e -> {
            StreamSegment selected = list.getSelectionModel().getSelectedItem();
            if (e.isShortcutDown() && e.getCode() == KeyCode.C && selected != null) {
                ClipboardContent content = new ClipboardContent();
                content.putString(selected.heading() + "\n" + viewModel.body(selected));
                Clipboard.getSystemClipboard().setContent(content);
            }
        });

        ChoiceBox<FollowViewModel.Directions> directions = new ChoiceBox<>();
        directions.getItems().addAll(FollowViewModel.Directions.values());
        directions.valueProperty().bindBidirectional(viewModel.directionsProperty());
        directions.setTooltip(new Tooltip("Both directions, or only what the process sent or received"));
        ChoiceBox<FollowViewModel.Mode> mode = new ChoiceBox<>();
        mode.setId("follow-mode");
        mode.getItems().addAll(FollowViewModel.Mode.values());
        mode.valueProperty().bindBidirectional(viewModel.modeProperty());
        viewModel.modeProperty().addListener((obs, old, now) -> list.refresh());
        Button filter = new Button("Filter on this stream", Icons.filter());
        filter.setId("follow-filter");
        filter.setOnAction(e -> applyFilter.accept(viewModel.filterText()));
        filter.setDisable(viewModel.filterText().isEmpty());
        Button save = new Button("Save…", Icons.save());
        save.setId("follow-save");
        save.setOnAction(e -> viewModel.save());

        Label key = new Label(viewModel.key());
        key.getStyleClass().add("pane-caption");
        Label summary = new Label();
        summary.setId("follow-summary");
        summary.textProperty().bind(viewModel.summaryProperty());
        Label sent = new Label("sent");
        sent.getStyleClass().addAll("legend", "follow-sent");
        Label received = new Label("received");
        received.getStyleClass().addAll("legend", "follow-received");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox top = new HBox(8, key, sent, received, grow, new Label("Show"), directions, new Label("as"), mode, filter, save);
        top.setAlignment(Pos.CENTER_LEFT);
        top.setPadding(new Insets(6, 8, 6, 8));
        top.getStyleClass().add("pane-toolbar");
        Region push = new Region();
        HBox.setHgrow(push, Priority.ALWAYS);
        HBox bottom = new HBox(8, summary, push, Dialogs.closeButton(stage, "follow"));
        bottom.setAlignment(Pos.CENTER_LEFT);
        bottom.setPadding(new Insets(4, 8, 4, 8));
        bottom.getStyleClass().add("status-bar");

        BorderPane root = new BorderPane(list, top, null, bottom, null);
        root.getStyleClass().add("follow-window");
        Scene scene = new Scene(root, 900, 620);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
            stage.initOwner(owner);
        }
        stage.setScene(scene);
        Dialogs.closeOnEscape(stage, scene);
        stage.setTitle("bpfscope — follow " + viewModel.key());
    }

    public Stage stage() {
        return stage;
    }

    public FollowViewModel viewModel() {
        return viewModel;
    }

    public void show() {
        stage.show();
        viewModel.load();
    }

    /** A segment: its heading, then its bytes, coloured by direction. */
    private final class SegmentCell extends ListCell<StreamSegment> {
        private final Label heading = new Label();
        private final Label body = new Label();
        private final VBox box = new VBox(2, heading, body);

        SegmentCell() {
            heading.getStyleClass().add("follow-heading");
            body.getStyleClass().add("follow-body");
            body.setWrapText(true);
            box.getStyleClass().add("follow-segment");
            body.maxWidthProperty().bind(list.widthProperty().subtract(40));
            heading.maxWidthProperty().bind(list.widthProperty().subtract(40));
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(StreamSegment segment, boolean empty) {
            super.updateItem(segment, empty);
            box.getStyleClass().removeAll("follow-sent", "follow-received", "follow-none");
            if (empty || segment == null) {
                setGraphic(null);
                return;
            }
            String arrow = segment.side() == Conversations.Side.RECEIVED ? "◀ " : segment.side() == Conversations.Side.SENT
                    ? "▶ " : "• ";
            heading.setText(arrow + "#" + segment.seq() + "  " + segment.heading());
            String text = viewModel.body(segment);
            body.setText(text);
            body.setVisible(!text.isEmpty());
            body.setManaged(!text.isEmpty());
            box.getStyleClass().add(segment.side() == Conversations.Side.RECEIVED ? "follow-received"
                    : segment.side() == Conversations.Side.SENT ? "follow-sent" : "follow-none");
            setGraphic(box);
        }
    }
}
