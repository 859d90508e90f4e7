package io.bpfscope.ui;

import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.ui.common.ErrorDisplay;
import io.bpfscope.ui.common.PathChooser;
import io.bpfscope.ui.common.RecordCache;
import io.bpfscope.ui.common.ShownCapture;
import io.bpfscope.ui.common.TaskRunner;
import io.bpfscope.ui.detail.DetailViewModel;
import io.bpfscope.ui.follow.FollowViewModel;
import io.bpfscope.ui.hex.HexViewModel;
import io.bpfscope.ui.table.EventTableViewModel;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The event the table has selected, shown in the detail tree and the hex
 * pane; going to an event by its seq, and following its conversation.
 * FX thread only.
 */
public final class SelectedEvent {
    private final DetailViewModel detail = new DetailViewModel();
    private final HexViewModel hex = new HexViewModel();
    private final Supplier<ShownCapture> capture;
    private final RecordCache records;
    private final EventTableViewModel table;
    private final TaskRunner tasks;
    private final ErrorDisplay errors;
    private final Supplier<PathChooser> chooser;

    SelectedEvent(Supplier<ShownCapture> capture, RecordCache records, EventTableViewModel table, TaskRunner tasks,
                  ErrorDisplay errors, Supplier<PathChooser> chooser) {
        this.capture = capture;
        this.records = records;
        this.table = table;
        this.tasks = tasks;
        this.errors = errors;
        this.chooser = chooser;
        table.selectedProperty().addListener((obs, old, seq) -> show(seq.longValue()));
    }

    public DetailViewModel detail() {
        return detail;
    }

    public HexViewModel hex() {
        return hex;
    }

    /** Shows event {@code seq} in the detail tree and the hex pane; 0 (or one that does not decode) clears them. */
    void show(long seq) {
        DecodedRecord record = seq > 0 ? records.get(seq) : null;
        if (record == null) {
            detail.show(null, 0);
            hex.clear();
            return;
        }
        RawRecord raw = capture.get().store().get(seq);
        detail.show(record, raw.length());
        DecodedEvent.Payload payload = record.event().payload();
        if (payload != null) {
            hex.showPayload(payload);
        } else {
            hex.showRawRecord(raw.copy());
        }
    }

    /** Selects event {@code seq} (or the first shown after it). */
    public void goTo(long seq) {
        long size = capture.get().store().size();
        if (seq < 1 || seq > size) {
            errors.show(ErrorDisplay.Kind.SELECT, String.format("there is no event %d: this capture has %,d", seq, size));
            return;
        }
        errors.succeeded(ErrorDisplay.Kind.SELECT);
        table.reveal(seq);
    }

    /** The conversation of event {@code seq}, ready to load; empty (and the error line says why) when it has none. */
    public Optional<FollowViewModel> follow(long seq) {
        DecodedRecord record = records.get(seq);
        if (record == null) {
            errors.show(ErrorDisplay.Kind.SELECT, "select an event to follow its stream");
            return Optional.empty();
        }
        Optional<String> key = FollowViewModel.keyOf(record);
        if (key.isEmpty()) {
            errors.show(ErrorDisplay.Kind.SELECT, "event " + seq + " (" + record.probe()
                    + ") has no stream: follow works on tls, unix and tcp events");
            return Optional.empty();
        }
        errors.succeeded(ErrorDisplay.Kind.SELECT);
        return Optional.of(new FollowViewModel(capture.get(), key.get(), tasks, errors, chooser.get()));
    }
}
