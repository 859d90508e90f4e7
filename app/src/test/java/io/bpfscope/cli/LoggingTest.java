package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.io.BpfscopeProcess;
import io.bpfscope.io.TestUser;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log, run as sudo runs bpfscope: in the invoking user's cache, 0600, theirs, under the name printed. */
class LoggingTest {
    @TempDir
    Path dir;

    @Test
    @RequiresBpf("creating a user and chowning files needs root")
    void underSudoTheLogIsTheInvokingUsersPrivateFile() throws Exception {
        TestUser user = TestUser.ensure();
        Path cache = Files.createDirectory(dir.resolve("cache")); // the user's ~/.cache
        Files.setPosixFilePermissions(cache, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        user.owns(cache);
        Map<String, String> environment = new HashMap<>(BpfscopeProcess.sudoBy(user.uid(), user.gid()));
        environment.put("XDG_CACHE_HOME", cache.toString());
        BpfscopeProcess.Result result = BpfscopeProcess.run(environment, "info", dir.resolve("missing.bscap").toString());
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.INPUT);

        Path log = cache.resolve("bpfscope/bpfscope.log");
        assertOwnedBy(log, user, 0600);
        assertOwnedBy(log.getParent(), user, 0700);
        try (Stream<Path> files = Files.list(log.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("bpfscope.log");
        }
    }

    @Test
    @RequiresBpf("creating a user and chowning files needs root")
    void aLogThatCannotBeMadeSafelyDoesNotStopTheCommand() throws Exception {
        TestUser user = TestUser.ensure();
        Path cache = Files.createDirectory(dir.resolve("cache"));
        Path victim = Files.writeString(dir.resolve("victim"), "root's file\n");
        Files.createDirectory(cache.resolve("bpfscope"));
        user.owns(cache.resolve("bpfscope"));
        Files.createSymbolicLink(cache.resolve("bpfscope/bpfscope.log"), victim);
        Map<String, String> environment = new HashMap<>(BpfscopeProcess.sudoBy(user.uid(), user.gid()));
        environment.put("XDG_CACHE_HOME", cache.toString());
        BpfscopeProcess.Result result = BpfscopeProcess.run(environment, "info",
                Path.of(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap").toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(Files.readString(victim)).isEqualTo("root's file\n");
        assertThat((Integer) Files.getAttribute(victim, "unix:uid")).isZero();
    }

    private static void assertOwnedBy(Path path, TestUser user, int mode) throws Exception {
        Map<String, Object> unix = Files.readAttributes(path, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
        assertThat(unix.get("uid")).as("owner of %s", path).isEqualTo(user.uid());
        assertThat(unix.get("gid")).as("group of %s", path).isEqualTo(user.gid());
        assertThat((Integer) unix.get("mode") & 07777).as("mode of %s", path).isEqualTo(mode);
    }
}
