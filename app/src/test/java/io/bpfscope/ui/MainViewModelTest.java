package io.bpfscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.ui.common.ShownCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main view model without a window, with tasks on the calling thread: the capture on screen
 * (open, save, a file that cannot be opened) and the selection (detail, bytes, go to, follow).
 */
class MainViewModelTest {
    private static final Path DEMO = Path.of(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap");

    @TempDir
    Path dir;

    private final HeldTasks tasks = new HeldTasks();
    private final MainViewModel viewModel = new MainViewModel("no capture helper in a unit test", tasks);

    @AfterEach
    void close() {
        viewModel.close();
    }

    private void openDemo() {
        viewModel.open(DEMO.toString());
        tasks.finishAll();
    }

    @Test
    void openingShowsBusyThenTheCaptureAndRemembersIt() {
        assertThat(viewModel.titleProperty().get()).isEqualTo("bpfscope — offline");
        viewModel.open(DEMO.toString());
        assertThat(viewModel.busyProperty().get()).isTrue();
        assertThat(viewModel.noticeProperty().get()).isEqualTo("opening " + DEMO + "…");
        assertThat(viewModel.captureProperty().get().isFile()).isFalse();

        tasks.finishAll();
        assertThat(viewModel.busyProperty().get()).isFalse();
        assertThat(viewModel.noticeProperty().get()).isEqualTo("opened " + DEMO + ": 549 events");
        assertThat(viewModel.titleProperty().get()).isEqualTo("bpfscope — demo.bscap");
        assertThat(viewModel.captureProperty().get().file()).contains(DEMO);
        assertThat(viewModel.rows()).hasSize(549);
        assertThat(viewModel.settings().recentFiles()).containsExactly(DEMO.toAbsolutePath().toString());
        assertThat(viewModel.isLive()).isFalse();
        assertThat(viewModel.unsavedEvents()).isZero();
    }

    @Test
    void aFileThatCannotBeOpenedLeavesTheCaptureOnScreenAndSaysWhy() {
        openDemo();
        ShownCapture before = viewModel.captureProperty().get();
        Path missing = dir.resolve("missing.bscap");
        viewModel.open(missing.toString());
        tasks.finishAll();
        assertThat(viewModel.busyProperty().get()).isFalse();
        assertThat(viewModel.errorProperty().get()).isEqualTo("opening " + missing + ": " + missing + ": no such file");
        assertThat(viewModel.captureProperty().get()).isSameAs(before);
        assertThat(viewModel.titleProperty().get()).isEqualTo("bpfscope — demo.bscap");
    }

    @Test
    void theSelectedEventFillsTheDetailTreeAndTheBytes() {
        openDemo();
        viewModel.table().selectedProperty().set(151);
        assertThat(viewModel.detail().treeProperty().get()).isNotNull();
        assertThat(new String(viewModel.hex().bytes(), StandardCharsets.ISO_8859_1)).startsWith("GET / HTTP/1.1");
        assertThat(viewModel.follow(151)).map(f -> f.key()).contains("tls/30020/0x5589095f4ad0");

        assertThat(viewModel.follow(1)).isEmpty();
        assertThat(viewModel.errorProperty().get()).startsWith("event 1 (exec) has no stream");
        viewModel.goTo(550);
        assertThat(viewModel.errorProperty().get()).isEqualTo("there is no event 550: this capture has 549");
        viewModel.goTo(20);
        assertThat(viewModel.table().revealRequestProperty().get()).isEqualTo(20L);

        viewModel.table().selectedProperty().set(0);
        assertThat(viewModel.detail().treeProperty().get()).isNull();
        assertThat(viewModel.hex().bytes()).isEmpty();
    }

    @Test
    void saveCopiesTheCaptureOnScreenAndSaysHowManyEvents() throws Exception {
        viewModel.save();
        assertThat(viewModel.errorProperty().get()).isEqualTo("nothing to save yet: attach a probe or open a capture");
        openDemo();
        Path copy = dir.resolve("copy.bscap");
        viewModel.saveTo(copy);
        assertThat(viewModel.busyProperty().get()).isTrue();
        tasks.finishAll();
        assertThat(viewModel.noticeProperty().get()).isEqualTo("saved 549 events to " + copy);
        assertThat(Files.size(copy)).isPositive();
        viewModel.open(copy.toString());
        tasks.finishAll();
        assertThat(viewModel.rows()).hasSize(549);
        assertThat(viewModel.settings().recentFiles()).contains(copy.toAbsolutePath().toString());
    }
}
