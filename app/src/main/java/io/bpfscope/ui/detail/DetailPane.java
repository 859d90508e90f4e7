package io.bpfscope.ui.detail;

import io.bpfscope.ui.filter.FilterExpressions;
import java.util.function.BiConsumer;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.StackPane;

/** The detail pane: the selected event's fields as a tree; a field's context menu applies it as a filter. */
public final class DetailPane {
    private final TreeView<DetailNode> tree = new TreeView<>();
    private final StackPane root;

    public DetailPane(DetailViewModel viewModel, BiConsumer<String, FilterExpressions.Join> applyAsFilter) {
        tree.setId("detail-tree");
        tree.setShowRoot(false);
        tree.setCellFactory(t -> new DetailCell(applyAsFilter));
        Label empty = new Label("Select an event to see its fields.");
        empty.getStyleClass().add("placeholder");
        empty.visibleProperty().bind(viewModel.treeProperty().isNull());
        empty.setMouseTransparent(true);
        root = new StackPane(tree, empty);
        viewModel.treeProperty().addListener((obs, old, node) -> tree.setRoot(node == null ? null : item(node, 0)));
    }

    public Node root() {
        return root;
    }

    public TreeView<DetailNode> control() {
        return tree;
    }

    private static TreeItem<DetailNode> item(DetailNode node, int depth) {
        TreeItem<DetailNode> item = new TreeItem<>(node);
        for (DetailNode child : node.children()) {
            item.getChildren().add(item(child, depth + 1));
        }
        item.setExpanded(depth <= 1 && node.children().size() < 64 && !node.name().equals("internal"));
        return item;
    }

    /** A line: {@code name: value}, with Apply as filter and Copy. */
    private static final class DetailCell extends TreeCell<DetailNode> {
        private final BiConsumer<String, FilterExpressions.Join> applyAsFilter;
        /** One menu per cell, filled for the cell's node when it opens: building one per update took a fifth of a jump's time. */
        private final ContextMenu menu = new ContextMenu();

        DetailCell(BiConsumer<String, FilterExpressions.Join> applyAsFilter) {
            this.applyAsFilter = applyAsFilter;
            menu.setOnShowing(e -> fill(getItem()));
        }

        @Override
        protected void updateItem(DetailNode node, boolean empty) {
            super.updateItem(node, empty);
            getStyleClass().remove("detail-group");
            if (empty || node == null) {
                setText(null);
                setContextMenu(null);
                return;
            }
            setText(node.label());
            if (!node.children().isEmpty()) {
                getStyleClass().add("detail-group");
            }
            setContextMenu(menu);
        }

        private void fill(DetailNode node) {
            menu.getItems().clear();
            if (node == null) {
                return;
            }
            if (node.filter() != null) {
                MenuItem apply = new MenuItem("Apply as filter: " + node.filter());
                apply.setOnAction(e -> applyAsFilter.accept(node.filter(), FilterExpressions.Join.REPLACE));
                MenuItem and = new MenuItem("… and selected");
                and.setOnAction(e -> applyAsFilter.accept(node.filter(), FilterExpressions.Join.AND));
                MenuItem not = new MenuItem("Not selected");
                not.setOnAction(e -> applyAsFilter.accept(node.filter(), FilterExpressions.Join.AND_NOT));
                menu.getItems().addAll(apply, and, not);
            }
            MenuItem copy = new MenuItem("Copy value");
            copy.setOnAction(e -> {
                ClipboardContent content = new ClipboardContent();
                content.putString(node.value() == null ? node.name() : node.value());
                Clipboard.getSystemClipboard().setContent(content);
            });
            menu.getItems().add(copy);
        }
    }
}
