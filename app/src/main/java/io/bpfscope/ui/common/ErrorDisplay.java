package io.bpfscope.ui.common;

import io.bpfscope.bridge.BpfException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The one place failures are shown: a line under the toolbar with the
 * sentence a user can act on, never a stack trace. Every view model reports
 * here. FX thread only.
 */
public final class ErrorDisplay {
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public void show(String text) {
        message.set(text);
    }

    /** Shows {@code what failed: why}. */
    public void show(String what, Throwable failure) {
        message.set(what + ": " + describe(failure));
    }

    public void clear() {
        message.set("");
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
