package io.bpfscope.ui.filter;

import io.bpfscope.ui.common.Icons;
import javafx.animation.PauseTransition;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * The display filter bar: an editable field with the history as its
 * dropdown, green while what is typed compiles and red (with the message
 * and column underneath) when it does not; Enter applies. A dragged time
 * range shows as a chip beside it.
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
        field.setItems(viewModel.history());
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
        caption.getStyleClass().add("filter-caption");
        Button apply = new Button("Apply");
        apply.setId("filter-apply");
        apply.setOnAction(e -> applyNow());
        apply.setTooltip(new Tooltip("Apply the filter (Enter)"));
        Button clear = new Button("Clear");
        clear.setId("filter-clear");
        clear.setOnAction(e -> viewModel.clear());
        clear.setTooltip(new Tooltip("Show every event: no filter, no time range"));

        HBox line = new HBox(6, caption, field, apply, clear, timeRangeChip());
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

    private Node timeRangeChip() {
        Label range = new Label();
        range.setGraphic(Icons.clock());
        Button remove = new Button("✕");
        remove.getStyleClass().add("chip-close");
        remove.setTooltip(new Tooltip("Show the whole capture again"));
        remove.setOnAction(e -> viewModel.timeRangeProperty().set(null));
        HBox chip = new HBox(4, range, remove);
        chip.setId("time-range-chip");
        chip.setAlignment(Pos.CENTER_LEFT);
        chip.getStyleClass().add("chip");
        chip.visibleProperty().bind(viewModel.timeRangeProperty().isNotNull());
        chip.managedProperty().bind(chip.visibleProperty());
        viewModel.timeRangeProperty().addListener((obs, old, now) -> range.setText(now == null ? "" : now.label()));
        return chip;
    }
}
