package io.bpfscope.ui;

import io.bpfscope.ui.common.PathChooser;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Stands in for the file dialogs, which Monocle cannot show: every dialog "chooses" {@link #next}. */
final class ChosenPaths implements PathChooser {
    volatile Path next;

    @Override
    public Optional<Path> open(String title, List<FileType> types) {
        return Optional.ofNullable(next);
    }

    @Override
    public Optional<Path> save(String title, String suggestedName, List<FileType> types) {
        return Optional.ofNullable(next);
    }
}
