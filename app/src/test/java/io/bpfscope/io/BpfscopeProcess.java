package io.bpfscope.io;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bpfscope} in a JVM of its own with the environment given, as
 * sudo would start it ({@code SUDO_UID}, {@code SUDO_GID}): what the
 * invoking user is can only be read from a real environment.
 */
public final class BpfscopeProcess {
    /** What it printed on stderr and how it ended. */
    public record Result(int exitCode, String stderr) {
    }

    private BpfscopeProcess() {
    }

    public static Result run(Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        return runWithUmask("022", environment, arguments);
    }

    /** Runs it from a shell that set {@code umask} first. */
    public static Result runWithUmask(String umask, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\"",
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java", "-cp", classPath,
                "io.bpfscope.Main"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("bpfscope " + String.join(" ", arguments) + " did not end in 60 s");
        }
        return new Result(process.exitValue(), stderr);
    }

    /** The environment sudo gives a command run by {@code user}. */
    public static Map<String, String> sudoBy(int uid, int gid) {
        return Map.of("SUDO_UID", Integer.toString(uid), "SUDO_GID", Integer.toString(gid), "SUDO_USER", "someone");
    }
}
