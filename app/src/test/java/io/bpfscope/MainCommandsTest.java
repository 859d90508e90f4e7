package io.bpfscope;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.cli.InfoCommand;
import io.bpfscope.cli.ShowCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

    /**
     * The launcher picks the window's JVM (ZGC, its class-data archive) before Java runs, by its own
     * copy of the rule: the two must agree on every kind of first argument, command names included.
     */
    @Test
    void theLauncherOpensTheWindowForTheSameArgumentsAsMain(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String capture = java.nio.file.Files.createFile(dir.resolve("no-suffix")).toString();
        List<List<String>> cases = new java.util.ArrayList<>(List.of(List.of(), List.of("gui"), List.of("demo.bscap"),
                List.of("--verbose", capture), List.of("-"), List.of("ssh://me@lab"), List.of("shwo", "demo.bscap"),
                List.of(dir.resolve("missing").toString()), List.of("show", "demo.bscap")));
        for (Class<?> command : Main.commandsFor()) {
            cases.add(List.of(command.getAnnotation(picocli.CommandLine.Command.class).name(), "demo.bscap"));
        }
        String launcher = java.nio.file.Files.readString(java.nio.file.Path.of("..", "bpfscope"));
        String rule = launcher.substring(launcher.indexOf("opens_window() {"), launcher.indexOf("\n}\n", launcher.indexOf("opens_window() {")) + 3);
        for (List<String> args : cases) {
            List<String> bash = new java.util.ArrayList<>(List.of("bash", "-c", rule + "opens_window \"$@\" && echo window || echo cli", "rule"));
            bash.addAll(args);
            Process process = new ProcessBuilder(bash).redirectErrorStream(true).start();
            String launcherSays = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor();
            String[] main = Main.impliedGui(args.toArray(String[]::new));
            String mainSays = main.length == 0 || main[0].equals("gui") ? "window" : "cli";
            assertThat(launcherSays).as("the launcher on %s", args).isEqualTo(mainSays);
        }
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
