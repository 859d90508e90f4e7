package io.bpfscope.ui.common;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Asks the user for a file. The window uses a file dialog; tests, which
 * cannot drive one headless, put a path here instead.
 */
public interface PathChooser {
    /** A kind of file the dialog offers, e.g. {@code Captures (*.bscap)}. */
    record FileType(String description, List<String> patterns) {
        public static final FileType CAPTURE = new FileType("bpfscope captures (*.bscap)", List.of("*.bscap"));
        public static final FileType ANY = new FileType("All files", List.of("*"));
    }

    Optional<Path> open(String title, List<FileType> types);

    Optional<Path> save(String title, String suggestedName, List<FileType> types);

    /** Chooses nothing: for view models built without a window. */
    PathChooser NONE = new PathChooser() {
        @Override
        public Optional<Path> open(String title, List<FileType> types) {
            return Optional.empty();
        }

        @Override
        public Optional<Path> save(String title, String suggestedName, List<FileType> types) {
            return Optional.empty();
        }
    };
}
