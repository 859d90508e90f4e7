package io.bpfscope.ui.follow;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.capture.store.CaptureIndex;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.ui.HeldTasks;
import io.bpfscope.ui.common.ErrorDisplay;
import io.bpfscope.ui.common.PathChooser;
import io.bpfscope.ui.common.ShownCapture;
import io.bpfscope.ui.common.TaskRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Follow without a window, on the demo capture: curl's TLS session (pid 30020) is events 151, 154,
 * 161, 162 and 164 — one request of 78 bytes, then 187 + 7,577 bytes of answer.
 */
class FollowViewModelTest {
    private static final Path DEMO = Path.of(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap");
    private static final String CURL = "tls/30020/0x5589095f4ad0";

    @TempDir
    Path dir;

    private final ErrorDisplay errors = new ErrorDisplay();
    private CaptureIndex index;
    private ShownCapture demo;

    @BeforeEach
    void openDemo() throws IOException {
        index = EventStore.index(DEMO);
        demo = ShownCapture.of(index, DEMO);
    }

    @AfterEach
    void closeDemo() throws IOException {
        index.close();
    }

    private FollowViewModel follow(TaskRunner tasks) throws Exception {
        String key = FollowViewModel.keyOf(demo.decode(151)).orElseThrow();
        assertThat(key).isEqualTo(CURL);
        return new FollowViewModel(demo, key, tasks, errors, PathChooser.NONE);
    }

    @Test
    void theConversationIsGatheredAsATaskInBothDirections() throws Exception {
        HeldTasks tasks = new HeldTasks();
        FollowViewModel follow = follow(tasks);
        follow.load();
        assertThat(follow.summaryProperty().get()).isEqualTo("gathering the conversation…");
        assertThat(follow.segments()).isEmpty();

        tasks.finish(0);
        assertThat(follow.segments()).extracting(StreamSegment::seq).containsExactly(151L, 154L, 161L, 162L, 164L);
        assertThat(follow.summaryProperty().get()).isEqualTo("5 events · 78 bytes sent · 7,764 bytes received");
        assertThat(follow.body(follow.segments().get(0))).startsWith("GET / HTTP/1.1\r\nHost: localhost:9443");
        assertThat(follow.filterText()).isEqualTo("stream == \"tls/30020/0x5589095f4ad0\"");

        follow.directionsProperty().set(FollowViewModel.Directions.SENT);
        assertThat(follow.segments()).extracting(StreamSegment::seq).containsExactly(151L);
        follow.directionsProperty().set(FollowViewModel.Directions.RECEIVED);
        assertThat(follow.segments()).extracting(StreamSegment::seq).containsExactly(154L, 161L, 162L, 164L);
        assertThat(follow.summaryProperty().get()).as("the totals count both ways whatever is shown")
                .isEqualTo("5 events · 78 bytes sent · 7,764 bytes received");

        follow.modeProperty().set(FollowViewModel.Mode.HEX);
        assertThat(follow.body(follow.segments().get(1))).startsWith("0000");
    }

    @Test
    void saveWritesWhatIsShownAsTheUsersPrivateFileAndSaysWhenItCannot() throws Exception {
        FollowViewModel follow = follow(TaskRunner.onCallingThread());
        follow.load();
        follow.directionsProperty().set(FollowViewModel.Directions.SENT);
        Path target = dir.resolve("curl.txt");
        follow.saveTo(target);
        assertThat(Files.readString(target)).isEqualTo(follow.shownText()).startsWith(">> ").contains("GET / HTTP/1.1");
        assertThat((Integer) Files.getAttribute(target, "unix:mode") & 0777).isEqualTo(0600);
        assertThat(follow.summaryProperty().get()).endsWith(" · saved to " + target);
        assertThat(errors.messageProperty().get()).isEmpty();

        Path nowhere = dir.resolve("no-such-dir/curl.txt");
        follow.saveTo(nowhere);
        assertThat(errors.messageProperty().get()).startsWith("saving the conversation to " + nowhere + ": ");
        assertThat(nowhere).doesNotExist();
    }
}
