package io.bpfscope.ui.follow;

import io.bpfscope.capture.store.Conversations;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.io.AtomicOutput;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.MalformedEventException;
import io.bpfscope.ui.common.ErrorDisplay;
import io.bpfscope.ui.common.PathChooser;
import io.bpfscope.ui.common.ShownCapture;
import io.bpfscope.ui.common.TaskRunner;
import io.bpfscope.ui.hex.HexText;
import io.bpfscope.ui.table.EventColumns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Follow stream: every event of one conversation (a TLS session, a unix
 * socket pair, a TCP connection) in order, both directions, as text or hex;
 * Save writes what is shown. The conversation is gathered off the FX thread.
 * FX thread only.
 */
public final class FollowViewModel {
    /** How payloads are shown. */
    public enum Mode { TEXT, HEX }

    /** Which directions are shown. */
    public enum Directions { BOTH, SENT, RECEIVED }

    private final ShownCapture capture;
    private final String key;
    private final TaskRunner tasks;
    private final ErrorDisplay errors;
    private final PathChooser chooser;
    private final ObservableList<StreamSegment> segments = FXCollections.observableArrayList();
    private final ObjectProperty<Mode> mode = new SimpleObjectProperty<>(Mode.TEXT);
    private final ObjectProperty<Directions> directions = new SimpleObjectProperty<>(Directions.BOTH);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("gathering the conversation…");
    private List<StreamSegment> all = List.of();

    public FollowViewModel(ShownCapture capture, String key, TaskRunner tasks, ErrorDisplay errors, PathChooser chooser) {
        this.capture = capture;
        this.key = key;
        this.tasks = tasks;
        this.errors = errors;
        this.chooser = chooser;
        directions.addListener((obs, old, now) -> select());
    }

    /** The conversation of {@code record}, or empty when its probe has none. */
    public static Optional<String> keyOf(DecodedRecord record) {
        return Conversations.key(record);
    }

    public String key() {
        return key;
    }

    public ObservableList<StreamSegment> segments() {
        return segments;
    }

    public ObjectProperty<Mode> modeProperty() {
        return mode;
    }

    public ObjectProperty<Directions> directionsProperty() {
        return directions;
    }

    /** e.g. {@code 12 events · 850 bytes sent · 9,656 bytes received}. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The filter that shows this conversation in the table: {@code stream == "tls/30020/0x5589095f4ad0"}. */
    public String filterText() {
        return io.bpfscope.ui.filter.FilterExpressions.equalTo("stream", key);
    }

    /** Gathers the conversation from the whole capture. */
    public void load() {
        long size = capture.store().size();
        tasks.run("follow " + key, () -> gather(size), found -> {
            all = found;
            select();
        }, failure -> errors.show("following " + key, failure));
    }

    private List<StreamSegment> gather(long size) {
        List<StreamSegment> found = new ArrayList<>();
        for (long seq = 1; seq <= size; seq++) {
            DecodedRecord record;
            try {
                record = capture.decode(seq);
            } catch (MalformedEventException | RuntimeException e) {
                continue;
            }
            if (!Conversations.key(record).map(key::equals).orElse(false)) {
                continue;
            }
            DecodedEvent.Payload payload = record.event().payload();
            byte[] bytes = payload == null ? new byte[0] : payload.bytes();
            long length = payload == null ? 0 : payload.originalLength();
            String heading = EventColumns.clock(record.time()) + "  " + io.bpfscope.probes.CStrings.replaced(record.event().header().comm()) + "["
                    + record.event().header().pid() + "]  " + io.bpfscope.probes.CStrings.replaced(record.event().summary());
            found.add(new StreamSegment(seq, Conversations.side(record), heading, bytes, length));
        }
        return found;
    }

    private void select() {
        Directions shown = directions.get();
        List<StreamSegment> chosen = new ArrayList<>();
        long sent = 0;
        long received = 0;
        for (StreamSegment segment : all) {
            if (segment.side() == Conversations.Side.RECEIVED) {
                received += segment.originalLength();
            } else {
                sent += segment.originalLength();
            }
            boolean wanted = shown == Directions.BOTH
                    || shown == Directions.SENT && segment.side() != Conversations.Side.RECEIVED
                    || shown == Directions.RECEIVED && segment.side() == Conversations.Side.RECEIVED;
            if (wanted) {
                chosen.add(segment);
            }
        }
        segments.setAll(chosen);
        summary.set(String.format("%,d events · %,d bytes sent · %,d bytes received", all.size(), sent, received));
    }

    /** A segment's body as shown in the current mode (empty for events without bytes). */
    public String body(StreamSegment segment) {
        if (segment.bytes().length == 0) {
            return "";
        }
        String body;
        if (mode.get() == Mode.HEX) {
            StringBuilder dump = new StringBuilder();
            for (int row = 0; row < HexText.rows(segment.bytes().length); row++) {
                dump.append(HexText.line(segment.bytes(), row)).append('\n');
            }
            body = dump.toString();
        } else {
            body = new String(segment.bytes(), StandardCharsets.ISO_8859_1)
                    .replaceAll("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]", ".");
        }
        if (segment.truncated()) {
            body += (body.endsWith("\n") ? "" : "\n") + "[cut: " + segment.bytes().length + " of "
                    + segment.originalLength() + " bytes captured]";
        }
        return body;
    }

    /** Everything shown, as text (what Save writes). */
    public String shownText() {
        StringBuilder text = new StringBuilder();
        for (StreamSegment segment : segments) {
            String arrow = segment.side() == Conversations.Side.RECEIVED ? "<<" : segment.side() == Conversations.Side.SENT
                    ? ">>" : "--";
            text.append(arrow).append(' ').append(segment.heading()).append('\n');
            String body = body(segment);
            if (!body.isEmpty()) {
                text.append(body).append(body.endsWith("\n") ? "" : "\n");
            }
        }
        return text.toString();
    }

    /** Asks where, then writes what is shown (an {@link AtomicOutput}: 0600, the user's). */
    public void save() {
        Optional<Path> target = chooser.save("Save conversation", key.replace('/', '-') + ".txt",
                List.of(new PathChooser.FileType("Text (*.txt)", List.of("*.txt")), PathChooser.FileType.ANY));
        target.ifPresent(this::saveTo);
    }

    public void saveTo(Path target) {
        String text = shownText();
        tasks.run("save conversation", () -> {
            try (AtomicOutput output = AtomicOutput.open(target, true, List.of())) {
                output.stream().write(text.getBytes(StandardCharsets.UTF_8));
                output.commit();
            }
            return target;
        }, saved -> summary.set(summary.get().replaceAll(" · saved to .*", "") + " · saved to " + saved),
                failure -> errors.show(ErrorDisplay.Kind.SAVE, "saving the conversation to " + target, failure));
    }

}
