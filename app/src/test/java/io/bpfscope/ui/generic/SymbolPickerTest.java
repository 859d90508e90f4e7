package io.bpfscope.ui.generic;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.ui.HeldTasks;
import io.bpfscope.ui.common.TaskRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Function dialog's symbols without a window: read as a task, the latest path wins, problems are said. */
class SymbolPickerTest {
    private static final String LIBC = "/usr/lib/x86_64-linux-gnu/libc.so.6";

    @TempDir
    Path dir;

    @Test
    void theFunctionsOfALibraryArriveFromATaskAndTheLatestPathWins() throws Exception {
        HeldTasks tasks = new HeldTasks();
        SymbolPicker picker = new SymbolPicker(tasks);
        picker.load(LIBC);
        assertThat(picker.loadingProperty().get()).isTrue();
        assertThat(picker.symbols().shown()).isEmpty();
        Path notElf = Files.writeString(dir.resolve("notes.txt"), "not a binary");
        picker.load(notElf.toString());
        tasks.finish(1);
        tasks.finish(0); // libc's symbols come after the user typed another path: dropped
        assertThat(picker.symbols().total()).isZero();
        assertThat(picker.problemProperty().get()).startsWith(notElf + ": ");
        assertThat(picker.loadingProperty().get()).isFalse();

        picker.load(LIBC);
        tasks.finish(2);
        assertThat(picker.problemProperty().get()).isEmpty();
        picker.symbols().queryProperty().set("getaddrinfo");
        assertThat(picker.symbols().shown()).contains("getaddrinfo");
    }

    @Test
    void aMissingFileSaysSo() {
        SymbolPicker picker = new SymbolPicker(TaskRunner.onCallingThread());
        picker.load(dir.resolve("nosuch.so").toString());
        assertThat(picker.loadingProperty().get()).isFalse();
        assertThat(picker.problemProperty().get()).startsWith(dir.resolve("nosuch.so") + ": ");
    }
}
