package io.bpfscope.ui.sources;

import io.bpfscope.capture.live.MergedSources;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;

/**
 * One line above the status bar while several sources are shown: per source its name, host, state,
 * events and losses — {@code root@db1 (db1): live · 12,034 events · 3 lost} — and why it failed.
 * Hidden when the window shows one capture.
 */
public final class SourcesBar {
    private final FlowPane root = new FlowPane(16, 2);

    public SourcesBar(SourcesViewModel viewModel) {
        root.setId("sources-bar");
        root.getStyleClass().add("sources-bar");
        root.setPadding(new Insets(2, 8, 2, 8));
        root.setAlignment(Pos.CENTER_LEFT);
        root.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(viewModel.statuses()));
        root.managedProperty().bind(root.visibleProperty());
        viewModel.statuses().addListener((ListChangeListener<MergedSources.Status>) change -> show(viewModel));
    }

    public Node root() {
        return root;
    }

    private void show(SourcesViewModel viewModel) {
        root.getChildren().clear();
        int i = 0;
        for (MergedSources.Status status : viewModel.statuses()) {
            Label label = new Label(text(status));
            label.setId("source-" + i++);
            label.getStyleClass().addAll("source", "source-" + status.state().name().toLowerCase(java.util.Locale.ROOT));
            label.setStyle(color(status.state()));
            if (!status.reason().isEmpty()) {
                label.setTooltip(new Tooltip(status.reason()));
            }
            root.getChildren().add(label);
        }
    }

    /** What a source's label says; the host is shown when it differs from the name the source was given. */
    static String text(MergedSources.Status status) {
        StringBuilder text = new StringBuilder("● ").append(status.name());
        if (!status.host().isEmpty() && !status.name().endsWith("@" + status.host())) {
            text.append(" (").append(status.host()).append(')');
        }
        text.append(": ").append(status.state().name().toLowerCase(java.util.Locale.ROOT));
        if (status.state() != MergedSources.State.CONNECTING) {
            text.append(String.format(" · %,d events · %,d lost", status.events(), status.lost()));
        }
        if (status.state() == MergedSources.State.FAILED) {
            text.append(" — ").append(status.reason());
        }
        return text.toString();
    }

    private static String color(MergedSources.State state) {
        return switch (state) {
            case CONNECTING -> "-fx-text-fill: #b07d00;";
            case LIVE -> "-fx-text-fill: #2e7d32;";
            case ENDED -> "-fx-text-fill: #607080;";
            case FAILED -> "-fx-text-fill: #c62828;";
        };
    }
}
