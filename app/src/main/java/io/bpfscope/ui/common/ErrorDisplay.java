package io.bpfscope.ui.common;

import io.bpfscope.bridge.BpfException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The one place failures are shown: a banner under the toolbar with the
 * sentence a user can act on, never a stack trace. Every view model reports
 * here. An error belongs to a {@link Kind} of action and stays until the next
 * action of that kind succeeds ({@link #succeeded}), or the capture it was
 * about leaves the screen ({@link #captureReplaced}), or the user dismisses it,
 * so a banner never outlives its cause. Successes and
 * progress are not shown here (the status bar says them). FX thread only.
 */
public final class ErrorDisplay {
    /** What kind of action an error came from; a success of the same kind clears it. */
    public enum Kind {
        /** What is on screen: opening a file or stdin, attaching or detaching probes, the live capture. */
        CAPTURE,
        /** Saving or exporting. */
        SAVE,
        /** Going to an event, following a stream. */
        SELECT,
        /** Anything else (settings, the filter history, reading the capture for a pane). */
        OTHER
    }

    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private Kind kind = Kind.OTHER;

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public void show(String text) {
        show(Kind.OTHER, text);
    }

    /** Shows {@code what failed: why}. */
    public void show(String what, Throwable failure) {
        show(Kind.OTHER, what, failure);
    }

    public void show(Kind of, String text) {
        kind = of;
        message.set(text);
    }

    /** Shows {@code what failed: why}. */
    public void show(Kind of, String what, Throwable failure) {
        show(of, what + ": " + describe(failure));
    }

    /**
     * An action of this kind succeeded: its error (if one is shown) is out of date. A new capture on
     * screen also ends the errors of no particular kind, which were about the capture before it.
     */
    public void succeeded(Kind of) {
        if (kind == of || of == Kind.CAPTURE && kind == Kind.OTHER) {
            clear();
        }
    }

    /**
     * Another capture went on screen: an error about going to an event, saving or reading the capture
     * before is out of date. One about opening or attaching stays for its own action to settle.
     */
    public void captureReplaced() {
        if (kind != Kind.CAPTURE) {
            clear();
        }
    }

    /** The kind of the error shown (meaningful only while one is). */
    public Kind kind() {
        return kind;
    }

    /** Dismissed by the user. */
    public void clear() {
        message.set("");
        kind = Kind.OTHER;
    }

    /** One line for a failure: the exception's own sentence, or what it is when it has none. */
    public static String describe(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof UncheckedIOException || t.getClass() == RuntimeException.class) && t.getCause() != null
                && t.getMessage() == null) {
            t = t.getCause();
        }
        if (t instanceof UncheckedIOException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof NoSuchFileException) {
            return ((NoSuchFileException) t).getFile() + ": no such file";
        }
        if (t instanceof AccessDeniedException) {
            return ((AccessDeniedException) t).getFile() + ": permission denied";
        }
        if (t instanceof FileSystemException) {
            FileSystemException fs = (FileSystemException) t;
            return fs.getFile() + ": " + (fs.getReason() == null ? fs.getClass().getSimpleName() : fs.getReason());
        }
        if (t instanceof BpfException || t.getMessage() != null && !t.getMessage().isBlank()) {
            return t.getMessage();
        }
        return t.getClass().getSimpleName();
    }
}
