package io.bpfscope.ui.generic;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.TableColumn;

/** A read-only table column that shows one value of each row. */
final class ValueColumn {
    private ValueColumn() {
    }

    static <R, T> TableColumn<R, T> of(String title, double width, Function<R, T> value) {
        TableColumn<R, T> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        return column;
    }
}
