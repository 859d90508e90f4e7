package io.bpfscope.capture.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The ssh command for a remote host: every remote word single-quoted, so a real shell gives the
 * remote bpfscope exactly the words it was meant to get; and what could become an ssh option or a
 * second command is refused before anything runs.
 */
class RemoteCommandTest {
    @Test
    void theCommandLineRunsRecordWithTheProbesAndStreamsToStdout() {
        RemoteCommand remote = RemoteCommand.parse("ssh://me@db1.example.org:2222", List.of("exec", "tls"),
                List.of("IdentityFile=/home/me/.ssh/lab"), "bpfscope");
        assertThat(remote.label()).isEqualTo("me@db1.example.org:2222");
        assertThat(remote.argv()).containsExactly("ssh", "-T", "-o", "BatchMode=yes", "-o", "ServerAliveInterval=15",
                "-p", "2222", "-o", "IdentityFile=/home/me/.ssh/lab", "-l", "me", "--", "db1.example.org",
                "'sudo' '-n' 'bpfscope' 'record' '-p' 'exec' '-p' 'tls' '-o' '-'");
        assertThat(RemoteCommand.parse("root@10.0.0.7", List.of("exec"), List.of(), "/opt/b/bpfscope").remoteShellCommand())
                .isEqualTo("'/opt/b/bpfscope' 'record' '-p' 'exec' '-o' '-'");
    }

    @Test
    void aRealShellGetsTheWordsBack() throws Exception {
        // What ssh hands the remote shell, run by sh here with printf in bpfscope's place: one word per line.
        String probe = "uprobe:/usr/lib/x86_64-linux-gnu/libc.so.6:getaddrinfo";
        RemoteCommand remote = RemoteCommand.parse("root@h", List.of(probe, "tracepoint:sched:sched_process_fork"),
                List.of(), "printf");
        String command = remote.remoteShellCommand().replaceFirst("'printf'", "printf '%s\\\\n'");
        Process sh = new ProcessBuilder("/bin/sh", "-c", command).start();
        String words = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(words.lines().toList()).containsExactly("record", "-p", probe, "-p",
                "tracepoint:sched:sched_process_fork", "-o", "-");
        assertThat(RemoteCommand.quote("it's $(id); `x`")).isEqualTo("'it'\\''s $(id); `x`'");
    }

    @Test
    void wordsThatCouldBecomeOptionsOrCommandsAreRefused() {
        List<String> exec = List.of("exec");
        assertThatThrownBy(() -> RemoteCommand.parse("ssh://me@-oProxyCommand=x", exec, List.of(), "bpfscope"))
                .hasMessageContaining("not a valid host");
        assertThatThrownBy(() -> RemoteCommand.parse("ssh://-me@h", exec, List.of(), "bpfscope"))
                .hasMessageContaining("not a valid user");
        assertThatThrownBy(() -> RemoteCommand.parse("h", exec, List.of(), "bpfscope")).hasMessageContaining("USER@HOST");
        assertThatThrownBy(() -> RemoteCommand.parse("me@h", List.of("exec; reboot"), List.of(), "bpfscope"))
                .hasMessageContaining("not a valid probe");
        assertThatThrownBy(() -> RemoteCommand.parse("me@h", List.of("-oops"), List.of(), "bpfscope"))
                .hasMessageContaining("not a valid probe");
        assertThatThrownBy(() -> RemoteCommand.parse("me@h", List.of(), List.of(), "bpfscope"))
                .hasMessageContaining("no probe");
        assertThatThrownBy(() -> RemoteCommand.parse("me@h", exec, List.of("-v"), "bpfscope"))
                .hasMessageContaining("ssh option");
        assertThatThrownBy(() -> RemoteCommand.parse("me@h", exec, List.of("LocalCommand=x\nmore"), "bpfscope"))
                .hasMessageContaining("ssh option");
        assertThatThrownBy(() -> RemoteCommand.parse("me@h", exec, List.of(), "bpfscope;id"))
                .hasMessageContaining("remote bpfscope");
        assertThatThrownBy(() -> RemoteCommand.parse("me@h", exec, List.of(), "-x"))
                .hasMessageContaining("looks like an option");
        assertThatThrownBy(() -> RemoteCommand.parse("me@h:99999", exec, List.of(), "bpfscope"))
                .hasMessageContaining("not a TCP port");
        assertThat(RemoteCommand.parse("ssh://me@[::1]:2222", exec, List.of(), "bpfscope").argv())
                .containsSubsequence("-p", "2222", "--", "::1");
    }
}
