package io.bpfscope.ui.generic;

import java.util.List;
import java.util.Locale;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * A long list of names (tracepoints, symbols) narrowed as the user types:
 * every word typed must appear, in any case. FX thread only.
 */
final class SearchList {
    private final ObservableList<String> all = FXCollections.observableArrayList();
    private final FilteredList<String> shown = new FilteredList<>(all);
    private final StringProperty query = new SimpleStringProperty("");

    SearchList() {
        query.addListener((obs, old, text) -> {
            String[] words = text.toLowerCase(Locale.ROOT).strip().split("\\s+");
            shown.setPredicate(name -> {
                String lower = name.toLowerCase(Locale.ROOT);
                for (String word : words) {
                    if (!lower.contains(word)) {
                        return false;
                    }
                }
                return true;
            });
        });
    }

    void setAll(List<String> names) {
        all.setAll(names);
    }

    StringProperty queryProperty() {
        return query;
    }

    ObservableList<String> shown() {
        return shown;
    }

    int total() {
        return all.size();
    }
}
