package io.bpfscope.ui.hex;

import io.bpfscope.ui.common.Icons;
import io.bpfscope.ui.common.Tips;
import javafx.beans.property.BooleanProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The hex pane: caption (payload or raw record, cut or whole), the dump, Find and Copy. */
public final class HexPane {
    private final HexViewModel viewModel;
    private final HexCanvas dump;
    private final BorderPane root = new BorderPane();

    public HexPane(HexViewModel viewModel) {
        this.viewModel = viewModel;
        this.dump = new HexCanvas(viewModel);
        dump.setId("hex-dump");

        Label caption = new Label();
        caption.setId("hex-caption");
        caption.getStyleClass().add("pane-caption");
        caption.textProperty().bind(viewModel.captionProperty());
        viewModel.truncatedProperty().addListener((obs, old, cut) -> {
            caption.getStyleClass().remove("truncated");
            if (cut) {
                caption.getStyleClass().add("truncated");
            }
        });

        TextField find = new TextField();
        find.setId("hex-find");
        find.setPromptText("Find text or bytes");
        find.setPrefColumnCount(11);
        ChoiceBox<HexViewModel.FindMode> mode = new ChoiceBox<>();
        mode.getItems().addAll(HexViewModel.FindMode.values());
        mode.setValue(HexViewModel.FindMode.TEXT);
        Tips.lazy(mode, "TEXT finds UTF-8 text; HEX finds bytes written as 47 45 54");
        Button next = new Button(null, Icons.find());
        next.setId("hex-find-next");
        Tips.lazy(next, "Find next (Enter)");
        Runnable findNext = () -> {
            int at = viewModel.find(find.getText(), mode.getValue());
            if (at >= 0) {
                dump.reveal(at);
            }
        };
        next.setOnAction(e -> findNext.run());
        find.setOnAction(e -> findNext.run());

        MenuButton copy = new MenuButton("Copy");
        copy.setId("hex-copy");
        copy.getItems().addAll(copyItem("as hex", "hex"), copyItem("as text", "text"), copyItem("as C array", "c"));
        Tips.lazy(copy, "Copy the selected bytes (all of them when none are selected)");

        mode.setMinWidth(Region.USE_PREF_SIZE);
        next.setMinWidth(Region.USE_PREF_SIZE);
        copy.setMinWidth(Region.USE_PREF_SIZE);
        caption.setMinWidth(60);
        Label message = new Label();
        message.getStyleClass().add("hex-message");
        message.textProperty().bind(viewModel.messageProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox tools = new HBox(6, caption, grow, message, find, mode, next, copy);
        tools.setAlignment(Pos.CENTER_LEFT);
        tools.setPadding(new Insets(3, 6, 3, 6));
        tools.getStyleClass().add("pane-toolbar");

        ContextMenu menu = new ContextMenu(copyItem("Copy as hex", "hex"), copyItem("Copy as text", "text"),
                copyItem("Copy as C array", "c"));
        dump.setOnContextMenuRequested(e -> menu.show(dump, e.getScreenX(), e.getScreenY()));
        dump.setFocusTraversable(true);
        dump.setOnKeyPressed(e -> {
            if (e.isShortcutDown() && e.getCode() == KeyCode.C) {
                copy(e.isShiftDown() ? viewModel.copyAsText() : viewModel.copyAsHex());
                e.consume();
            }
        });

        Label empty = new Label("Select an event to see its bytes.");
        empty.getStyleClass().add("placeholder");
        VBox placeholder = new VBox(empty);
        placeholder.setAlignment(Pos.CENTER);
        root.setTop(tools);
        root.setCenter(placeholder);
        viewModel.bytesProperty().addListener((obs, old, bytes) -> root.setCenter(bytes.length == 0 ? placeholder : dump));
        root.getStyleClass().add("hex-pane");
        root.setId("hex-pane");
    }

    public Node root() {
        return root;
    }

    /** The theme: the dump draws its own colours. */
    public BooleanProperty darkProperty() {
        return dump.darkProperty();
    }

    /** Row {@code row} of the dump as drawn (for tests and copy). */
    public String line(int row) {
        return HexText.line(viewModel.bytes(), row);
    }

    private MenuItem copyItem(String label, String kind) {
        MenuItem item = new MenuItem(label);
        item.setOnAction(e -> copy(kind.equals("hex") ? viewModel.copyAsHex()
                : kind.equals("text") ? viewModel.copyAsText() : viewModel.copyAsCArray()));
        return item;
    }

    private static void copy(String text) {
        ClipboardContent content = new ClipboardContent();
        content.putString(text);
        Clipboard.getSystemClipboard().setContent(content);
    }
}
