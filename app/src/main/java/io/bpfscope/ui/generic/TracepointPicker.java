package io.bpfscope.ui.generic;

import io.bpfscope.capture.helper.HostFacts;
import io.bpfscope.probes.tracepoint.GenericTracepointProbe;
import io.bpfscope.probes.tracepoint.TracepointDecoder;
import io.bpfscope.probes.tracepoint.TracepointFormat;
import io.bpfscope.ui.common.TaskRunner;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The Tracepoint dialog's state: the host's tracepoints and the format of the
 * one chosen, both asked of {@link HostFacts} through the {@link TaskRunner}
 * (under sudo each is a round trip to the capture helper), so the dialog stays
 * responsive and says that it is loading. FX thread only.
 */
final class TracepointPicker {
    private final HostFacts facts;
    private final TaskRunner tasks;
    private final SearchList names = new SearchList();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper failed = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper();
    private final ObjectProperty<String> selected = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper fields = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<GenericTracepointProbe> probe = new ReadOnlyObjectWrapper<>();

    TracepointPicker(HostFacts facts, TaskRunner tasks) {
        this.facts = facts;
        this.tasks = tasks;
        selected.addListener((obs, old, name) -> describe(name));
    }

    /** Reads the list of tracepoints in the background. */
    void load() {
        loading.set(true);
        failed.set(false);
        status.set("reading the tracepoints of this kernel…");
        tasks.run("list tracepoints", facts::tracepoints, found -> {
            loading.set(false);
            names.setAll(found);
            status.set(names.total() + " tracepoints; type words to narrow, e.g. 'sched fork'");
        }, failure -> {
            loading.set(false);
            failed.set(true);
            status.set("cannot list the tracepoints: " + failure.getMessage());
        });
    }

    SearchList names() {
        return names;
    }

    /** How many tracepoints there are, or that they are being read, or why they cannot be. */
    ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** True when the list could not be read. */
    ReadOnlyBooleanProperty failedProperty() {
        return failed.getReadOnlyProperty();
    }

    /** True while the list or a format is being read. */
    ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** The tracepoint chosen in the list ({@code group:name}), or null. */
    ObjectProperty<String> selectedProperty() {
        return selected;
    }

    /** The fields the chosen tracepoint's events carry, one per line; or why it cannot be attached. */
    ReadOnlyStringProperty fieldsProperty() {
        return fields.getReadOnlyProperty();
    }

    /** The probe for the chosen tracepoint once its format has been read; null before. */
    ReadOnlyObjectProperty<GenericTracepointProbe> probeProperty() {
        return probe.getReadOnlyProperty();
    }

    private void describe(String tracepoint) {
        probe.set(null);
        if (tracepoint == null) {
            fields.set("");
            return;
        }
        loading.set(true);
        fields.set("reading the format of " + tracepoint + "…");
        tasks.run("format of " + tracepoint, () -> probeFor(tracepoint), made -> {
            if (tracepoint.equals(selected.get())) { // a later choice wins over a slow answer
                loading.set(false);
                probe.set(made);
                fields.set(fieldLines(made));
            }
        }, failure -> {
            if (tracepoint.equals(selected.get())) {
                loading.set(false);
                fields.set(tracepoint + ": " + failure.getMessage());
            }
        });
    }

    /** The probe for {@code group:name}, its format as the facts give it. Any thread. */
    private GenericTracepointProbe probeFor(String tracepoint) {
        int colon = tracepoint.indexOf(':');
        try {
            return GenericTracepointProbe.withFormat(tracepoint.substring(0, colon), tracepoint.substring(colon + 1),
                    facts.tracepointFormat(tracepoint));
        } catch (IOException e) {
            return GenericTracepointProbe.of(GenericTracepointProbe.PREFIX + tracepoint); // says why it is unavailable
        }
    }

    /** The fields a tracepoint's events carry, one per line with its C type. */
    static String fieldLines(GenericTracepointProbe probe) {
        TracepointFormat format = probe.parsedFormat();
        if (format == null) {
            return probe.availability().reason();
        }
        List<String> strings = TracepointDecoder.userStringFields(format).stream().map(TracepointFormat.Field::name).toList();
        return format.ownFields().stream()
                .map(f -> TracepointDecoder.fieldName(f.name()) + "  (" + f.type() + ")"
                        + (strings.contains(f.name()) ? "  read as a string" : ""))
                .collect(Collectors.joining("\n"));
    }
}
