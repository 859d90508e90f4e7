package io.bpfscope.ui;

import io.bpfscope.probes.LoadedProbe;
import io.bpfscope.probes.Probe;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One probe in the probe panel: ticked or not, and its state (idle, attaching, attached, failed). FX thread only. */
public final class ProbeRow {
    private final Probe probe;
    private final BooleanProperty selected = new SimpleBooleanProperty();
    private final StringProperty state = new SimpleStringProperty("");
    private final ObjectProperty<LoadedProbe> loaded = new SimpleObjectProperty<>();

    ProbeRow(Probe probe, String initialState) {
        this.probe = probe;
        this.state.set(initialState);
    }

    public Probe probe() {
        return probe;
    }

    public BooleanProperty selectedProperty() {
        return selected;
    }

    public StringProperty stateProperty() {
        return state;
    }

    public ObjectProperty<LoadedProbe> loadedProperty() {
        return loaded;
    }
}
