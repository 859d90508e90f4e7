package io.bpfscope;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.cli.InfoCommand;
import io.bpfscope.cli.ShowCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Picocli is given only the subcommand a command line names, and every one when it names none; a capture alone means gui. */
class MainCommandsTest {
    @Test
    void aNamedCommandIsTheOnlyOnePicocliReads() {
        assertThat(Main.commandsFor("info", "demo.bscap")).containsExactly(InfoCommand.class);
        assertThat(Main.commandsFor("--verbose", "show", "--limit", "1", "x.bscap")).containsExactly(ShowCommand.class);
    }

    @Test
    void helpAFileOrAMistakeGetsThemAll() {
        int all = Main.commandsFor("--help").size();
        assertThat(all).isGreaterThan(10);
        assertThat(Main.commandsFor()).hasSize(all);
        assertThat(Main.commandsFor("help", "info")).hasSize(all);
        assertThat(Main.commandsFor("demo.bscap")).hasSize(all);
        assertThat(Main.commandsFor("nosuch")).hasSize(all);
    }

    @Test
    void aCaptureAloneOpensTheWindowOnIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path capture = java.nio.file.Files.createFile(dir.resolve("no-suffix"));
        assertThat(Main.impliedGui("demo.bscap")).containsExactly("gui", "demo.bscap");
        assertThat(Main.impliedGui("--verbose", capture.toString())).containsExactly("gui", "--verbose", capture.toString());
        assertThat(Main.impliedGui("-")).containsExactly("gui", "-");
        assertThat(Main.impliedGui("ssh://me@lab")).containsExactly("gui", "ssh://me@lab");
        assertThat(Main.impliedGui("show", "demo.bscap")).containsExactly("show", "demo.bscap");
        assertThat(Main.impliedGui("shwo", "demo.bscap")).containsExactly("shwo", "demo.bscap"); // still a mistake
        assertThat(Main.impliedGui()).isEmpty();
    }

    @Test
    void theTopHelpStillListsEveryCommand() {
        String help = captureOut(() -> assertThat(Main.run("--help")).isZero());
        assertThat(help).contains("info", "show", "list-probes", "record", "export", "bench", "gui");
        String infoHelp = captureOut(() -> assertThat(Main.run("info", "--help")).isZero());
        assertThat(infoHelp).contains("Usage: bpfscope info");
    }

    private static String captureOut(Runnable action) {
        PrintStream out = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
