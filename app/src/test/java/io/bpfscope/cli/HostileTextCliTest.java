package io.bpfscope.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A traced process names itself, its arguments and its files; none of that may
 * reach the terminal as control sequences through show, follow or info.
 */
class HostileTextCliTest {
    private static final String OSC8 = "\u001b]8;;http://x\u0007";
    private static final String CLEAR = "\u001b[2J";
    private static final String CSI8 = "\u009b31m";

    @TempDir
    Path dir;
    private Path capture;

    @BeforeEach
    void hostileCapture() throws Exception {
        capture = new HostileCapture()
                .exec(OSC8.getBytes(UTF_8), ("/tmp/" + CLEAR).getBytes(UTF_8), OSC8.getBytes(UTF_8), CSI8.getBytes(UTF_8),
                        ("\u202e" + CLEAR).getBytes(UTF_8))
                .open(CSI8.getBytes(UTF_8), ("/tmp/" + OSC8 + CSI8).getBytes(UTF_8))
                .tlsWrite(CLEAR.getBytes(UTF_8), ("GET /" + CLEAR + " HTTP/1.1\r\n" + OSC8 + "\r" + CSI8).getBytes(UTF_8))
                .tlsWrite(CLEAR.getBytes(UTF_8), new byte[] {'a', (byte) 0x9b, '3', '1', 'm', 0x1b, '[', '2', 'J'})
                .writeTo(dir.resolve("hostile.bscap"));
    }

    @Test
    void showEscapesCommArgvAndPaths() {
        String out = CommandOutput.both("show", capture.toString());

        assertThat(out).contains("\\x1b]8;;http://x\\x07", "/tmp/\\x1b[2J", "\\u009b31m", "\\u202e\\x1b[2J");
        assertNoControls(out);
    }

    @Test
    void followListAndStreamEscapeTextAndPayload() {
        assertNoControls(CommandOutput.both("follow", capture.toString()));
        String stream = CommandOutput.both("follow", capture.toString(), "--stream", "0x55");
        assertThat(stream).contains("\\x1b[2J", "GET /.[2J HTTP/1.1\r\n");
        assertNoControls(stream);
        assertNoControls(CommandOutput.both("follow", capture.toString(), "--stream", "0x55", "--hex"));
    }

    @Test
    void infoAndErrorMessagesEscapeCapturedText() {
        assertNoControls(CommandOutput.both("info", capture.toString()));
        String error = CommandOutput.both("follow", capture.toString(), "--stream", CLEAR);
        assertThat(error).contains("no conversation '\\x1b[2J'");
        assertNoControls(error);
    }

    /** No ESC, BEL, CSI (C1), other C0 but the line ends, DEL or bidi override in what was printed. */
    private static void assertNoControls(String printed) {
        assertThat(printed).doesNotContain("\u001b", "\u0007", "\u009b", "\u202e", "\u007f");
        String withoutLineEnds = printed.replace("\r\n", "").replace("\n", "");
        assertThat(withoutLineEnds.chars().filter(c -> c < 0x20 && c != '\t' || c >= 0x80 && c <= 0x9f))
                .as("control characters in:%n%s", printed).isEmpty();
    }
}
