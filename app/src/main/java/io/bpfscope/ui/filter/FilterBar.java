package io.bpfscope.ui.filter;

import io.bpfscope.ui.common.Icons;
import io.bpfscope.ui.common.Tips;
import javafx.animation.PauseTransition;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * The display filter bar: an editable field with the history as its
 * dropdown, green while what is typed compiles and red (with the message
 * and column underneath) when it does not; Enter applies. Whatever
 * restricts the table (a span dragged on the timeline, a stream followed,
 * "Apply as filter") is text in this field. The caption and the buttons keep
 * their size however narrow the window; the field gives way.
 */
public final class FilterBar {
    private static final Duration CHECK_DELAY = Duration.millis(200);

    private final FilterViewModel viewModel;
    private final ComboBox<String> field = new ComboBox<>();
    private final VBox root = new VBox(2);

    public FilterBar(FilterViewModel viewModel) {
        this.viewModel = viewModel;
        field.setId("filter-field");
        field.setEditable(true);
        // The dropdown gets a copy of the history when it opens: a ComboBox whose items shift under its
        // selection (an applied filter goes to the top of the history) puts the item now at the selected
        // index into the editor, and the bar would read an old filter while the table shows the new one.
        field.setOnShowing(e -> field.getItems().setAll(viewModel.history()));
        field.setMaxWidth(Double.MAX_VALUE);
        field.setPromptText("Display filter, e.g.  probe == tls && payload contains \"GET\"   (Ctrl+F)");
        HBox.setHgrow(field, Priority.ALWAYS);
        TextField editor = field.getEditor();
        editor.textProperty().bindBidirectional(viewModel.textProperty());
        editor.getStyleClass().add("filter-editor");

        PauseTransition checkLater = new PauseTransition(CHECK_DELAY);
        checkLater.setOnFinished(e -> viewModel.check());
        editor.textProperty().addListener((obs, old, now) -> checkLater.playFromStart());
        field.setOnAction(e -> applyNow());
        editor.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                viewModel.textProperty().set(viewModel.appliedProperty().get().text());
            }
        });
        viewModel.stateProperty().addListener((obs, old, state) -> colour(editor, state));

        Label caption = new Label("Filter", Icons.filter());
        caption.setId("filter-caption");
        caption.getStyleClass().add("filter-caption");
        Button apply = new Button("Apply");
        apply.setId("filter-apply");
        apply.setOnAction(e -> applyNow());
        Tips.lazy(apply, "Apply the filter (Enter)");
        Button clear = new Button("Clear");
        clear.setId("filter-clear");
        clear.setOnAction(e -> viewModel.clear());
        Tips.lazy(clear, "Show every event: no filter, no time range");

        field.setMinWidth(120);
        for (javafx.scene.control.Labeled fixed : java.util.List.of(caption, apply, clear)) {
            fixed.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        HBox line = new HBox(6, caption, field, apply, clear);
        line.setAlignment(Pos.CENTER_LEFT);

        Label problem = new Label();
        problem.setId("filter-problem");
        problem.getStyleClass().add("filter-problem");
        problem.textProperty().bind(viewModel.problemProperty());
        problem.visibleProperty().bind(viewModel.problemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());

        root.getChildren().addAll(line, problem);
        root.setPadding(new Insets(4, 8, 4, 8));
        root.getStyleClass().add("filter-bar");
    }

    public Node root() {
        return root;
    }

    /** Ctrl+F. */
    public void focus() {
        field.requestFocus();
        field.getEditor().selectAll();
    }

    private void applyNow() {
        if (!viewModel.apply()) {
            int column = viewModel.problemColumnProperty().get();
            TextField editor = field.getEditor();
            editor.requestFocus();
            editor.positionCaret(Math.max(0, Math.min(editor.getLength(), column - 1)));
        }
    }

    private static void colour(TextField editor, FilterViewModel.State state) {
        editor.getStyleClass().removeAll("filter-valid", "filter-invalid");
        if (state == FilterViewModel.State.VALID) {
            editor.getStyleClass().add("filter-valid");
        } else if (state == FilterViewModel.State.INVALID) {
            editor.getStyleClass().add("filter-invalid");
        }
    }

}
