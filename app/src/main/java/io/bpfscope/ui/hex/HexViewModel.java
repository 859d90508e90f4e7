package io.bpfscope.ui.hex;

import io.bpfscope.probes.DecodedEvent;
import java.nio.charset.StandardCharsets;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;

/**
 * The hex pane: the selected event's payload (or, when it has none, its raw
 * record, and the caption says which), a selection shared by the hex and
 * text sides, Find (text or hex bytes) and the copies. FX thread only.
 */
public final class HexViewModel {
    /** How a Find query is read. */
    public enum FindMode { TEXT, HEX }

    private final ReadOnlyObjectWrapper<byte[]> bytes = new ReadOnlyObjectWrapper<>(new byte[0]);
    private final ReadOnlyStringWrapper caption = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper truncated = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    /** First selected byte, or -1. */
    private final IntegerProperty selectionStart = new SimpleIntegerProperty(-1);
    /** One past the last selected byte. */
    private final IntegerProperty selectionEnd = new SimpleIntegerProperty(-1);

    public ReadOnlyObjectProperty<byte[]> bytesProperty() {
        return bytes.getReadOnlyProperty();
    }

    public byte[] bytes() {
        return bytes.get();
    }

    /** e.g. {@code Payload — captured 4096 of 7577 bytes} or {@code Raw record (no payload) — 96 bytes}. */
    public ReadOnlyStringProperty captionProperty() {
        return caption.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty truncatedProperty() {
        return truncated.getReadOnlyProperty();
    }

    /** What Find or a selection says: {@code 5 bytes selected at 0x10}, {@code "xyz" not found}. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public IntegerProperty selectionStartProperty() {
        return selectionStart;
    }

    public IntegerProperty selectionEndProperty() {
        return selectionEnd;
    }

    /** Shows an event's payload. */
    public void showPayload(DecodedEvent.Payload payload) {
        truncated.set(payload.truncated());
        caption.set(payload.truncated()
                ? "Payload — captured " + payload.bytes().length + " of " + payload.originalLength() + " bytes"
                : "Payload — " + payload.bytes().length + " bytes");
        set(payload.bytes());
    }

    /** Shows the raw record of an event without a payload. */
    public void showRawRecord(byte[] record) {
        truncated.set(false);
        caption.set("Raw record (no payload) — " + record.length + " bytes");
        set(record);
    }

    public void clear() {
        truncated.set(false);
        caption.set("");
        set(new byte[0]);
    }

    private void set(byte[] data) {
        selectionStart.set(-1);
        selectionEnd.set(-1);
        message.set("");
        bytes.set(data);
    }

    /** Selects bytes {@code [from, to)} (in either order), clamped to the data. */
    public void select(int from, int to) {
        int length = bytes.get().length;
        int a = Math.max(0, Math.min(length, Math.min(from, to)));
        int b = Math.max(0, Math.min(length, Math.max(from, to)));
        if (a == b) {
            selectionStart.set(-1);
            selectionEnd.set(-1);
            message.set("");
            return;
        }
        selectionStart.set(a);
        selectionEnd.set(b);
        message.set((b - a) + (b - a == 1 ? " byte" : " bytes") + " selected at 0x" + Integer.toHexString(a));
    }

    public boolean hasSelection() {
        return selectionStart.get() >= 0 && selectionEnd.get() > selectionStart.get();
    }

    /**
     * Finds {@code query} after the selection (wrapping around) and selects it.
     * Returns the index found, or -1 (the message says why).
     */
    public int find(String query, FindMode mode) {
        if (query == null || query.isEmpty()) {
            message.set("type text or hex bytes to find");
            return -1;
        }
        byte[] needle;
        try {
            needle = mode == FindMode.HEX ? HexText.parseHex(query) : query.getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            message.set(e.getMessage());
            return -1;
        }
        byte[] data = bytes.get();
        int from = hasSelection() ? selectionStart.get() + 1 : 0;
        int found = HexText.indexOf(data, needle, from);
        if (found < 0 && from > 0) {
            found = HexText.indexOf(data, needle, 0);
        }
        if (found < 0) {
            message.set("\"" + query + "\" not found");
            return -1;
        }
        select(found, found + needle.length);
        return found;
    }

    /** The selection (or everything) as {@code 47 45 54}. */
    public String copyAsHex() {
        return HexText.hex(bytes.get(), from(), to());
    }

    /** The selection (or everything) as text. */
    public String copyAsText() {
        return HexText.text(bytes.get(), from(), to());
    }

    /** The selection (or everything) as a C array. */
    public String copyAsCArray() {
        return HexText.cArray(bytes.get(), from(), to());
    }

    private int from() {
        return hasSelection() ? selectionStart.get() : 0;
    }

    private int to() {
        return hasSelection() ? selectionEnd.get() : bytes.get().length;
    }
}
