package io.bpfscope.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A second user for the tests that check whose files bpfscope writes:
 * {@code bpfscope-test}, a system user created here when missing. Needs
 * root: the tests that use it carry {@code @RequiresBpf}.
 */
public record TestUser(String name, int uid, int gid) {
    public static final String NAME = "bpfscope-test";

    /** The test user, created if missing (root only: callers carry {@code @RequiresBpf}). */
    public static TestUser ensure() throws IOException, InterruptedException {
        if (!succeeds("getent", "passwd", NAME)) {
            run("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                    NAME);
        }
        String[] entry = run("getent", "passwd", NAME).trim().split(":");
        return new TestUser(NAME, Integer.parseInt(entry[2]), Integer.parseInt(entry[3]));
    }

    /** Gives {@code path} itself (not what a link points at) to this user. */
    public void owns(Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    /** Runs a command that must succeed; returns its output (stdout and stderr). */
    public static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output.trim());
        }
        return output;
    }

    /** Whether a command succeeds. */
    public static boolean succeeds(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(
                ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor() == 0;
    }
}
