package io.bpfscope.capture.live;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code ssh} command that records on another host and streams the capture back, as Wireshark's
 * sshdump and Stratoshark's sshdig do: {@code ssh [-p PORT] [-o OPTION]... -l USER -- HOST 'sudo' '-n'
 * 'bpfscope' 'record' '-p' 'exec' ... '-o' '-'}.
 *
 * <p>ssh joins its command words with spaces and hands them to the remote user's shell, so every word
 * is single-quoted here; and every word is checked first (probe names, the user, the host, options),
 * so nothing a user typed can become an option of ssh or a second command on the remote host.
 * Immutable.
 *
 * @param user           the remote account; {@code sudo -n} is put before bpfscope unless it is root
 *                       ({@code -n}: fail at once instead of asking for a password no one can type)
 * @param host           a host name or an address, as ssh takes it
 * @param port           0 for ssh's default
 * @param probes         what {@code record -p} gets there: {@code exec}, {@code tracepoint:sched:sched_process_fork}, ...
 * @param sshOptions     {@code KEY=VALUE} for {@code ssh -o}, e.g. {@code IdentityFile=~/.ssh/lab}
 * @param remoteBpfscope the bpfscope launcher on the remote host ({@code bpfscope} on its PATH by default)
 */
public record RemoteCommand(String user, String host, int port, List<String> probes, List<String> sshOptions,
                            String remoteBpfscope) {
    private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\\[[0-9A-Fa-f:.]+]|[0-9A-Fa-f:]+:[0-9A-Fa-f:.]*");
    /** A probe name as {@code record -p} takes it: a word, a tracepoint, or a uprobe on a path. */
    private static final Pattern PROBE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:/+@-]{0,511}");
    private static final Pattern SSH_OPTION = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}=[^\\x00-\\x1f\\x7f]{1,1024}");
    private static final Pattern PROGRAM = Pattern.compile("[A-Za-z0-9_./+@-]{1,1024}");

    public RemoteCommand {
        probes = List.copyOf(probes);
        sshOptions = List.copyOf(sshOptions);
        check(USER, user, "user");
        check(HOST, host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port");
        }
        if (probes.isEmpty()) {
            throw new IllegalArgumentException("no probe to record: name at least one (exec, tls, ...)");
        }
        probes.forEach(p -> check(PROBE, p, "probe"));
        sshOptions.forEach(o -> check(SSH_OPTION, o, "ssh option (KEY=VALUE)"));
        check(PROGRAM, remoteBpfscope, "remote bpfscope");
        if (remoteBpfscope.startsWith("-")) {
            throw new IllegalArgumentException("remote bpfscope '" + remoteBpfscope + "' looks like an option");
        }
    }

    /**
     * {@code ssh://USER@HOST[:PORT]} (also {@code USER@HOST}, {@code ssh://USER@[::1]:2222}); the user
     * is needed, since the window may run under sudo, where ssh's default user is not obvious.
     */
    public static RemoteCommand parse(String target, List<String> probes, List<String> sshOptions, String remoteBpfscope) {
        String rest = target.startsWith("ssh://") ? target.substring("ssh://".length()) : target;
        int at = rest.lastIndexOf('@');
        if (at <= 0) {
            throw new IllegalArgumentException("'" + target + "': expected ssh://USER@HOST[:PORT]");
        }
        String user = rest.substring(0, at);
        String hostPort = rest.substring(at + 1);
        int port = 0;
        int colon = hostPort.lastIndexOf(':');
        boolean bracketed = hostPort.startsWith("[");
        if (colon > 0 && (bracketed ? hostPort.lastIndexOf(']') < colon : hostPort.indexOf(':') == colon)) {
            String digits = hostPort.substring(colon + 1);
            if (!digits.matches("\\d{1,5}")) {
                throw new IllegalArgumentException("'" + target + "': the port '" + digits + "' is not a number");
            }
            port = Integer.parseInt(digits);
            hostPort = hostPort.substring(0, colon);
        }
        if (bracketed && hostPort.endsWith("]")) {
            hostPort = hostPort.substring(1, hostPort.length() - 1);
        }
        return new RemoteCommand(user, hostPort, port, probes, sshOptions, remoteBpfscope);
    }

    /** How the window names this source: {@code user@host} (and the port when not ssh's default). */
    public String label() {
        return user + "@" + host + (port == 0 ? "" : ":" + port);
    }

    /** The command line to start, run as the user of the window (never root under sudo). */
    public List<String> argv() {
        List<String> argv = new ArrayList<>(List.of("ssh", "-T", "-o", "BatchMode=yes", "-o", "ServerAliveInterval=15"));
        if (port != 0) {
            argv.addAll(List.of("-p", Integer.toString(port)));
        }
        for (String option : sshOptions) {
            argv.addAll(List.of("-o", option));
        }
        argv.addAll(List.of("-l", user, "--", host, remoteShellCommand()));
        return argv;
    }

    /** The one string the remote shell runs: each word single-quoted. */
    public String remoteShellCommand() {
        List<String> words = new ArrayList<>();
        if (!user.equals("root")) {
            words.addAll(List.of("sudo", "-n"));
        }
        words.addAll(List.of(remoteBpfscope, "record"));
        for (String probe : probes) {
            words.addAll(List.of("-p", probe));
        }
        words.addAll(List.of("-o", "-"));
        StringBuilder command = new StringBuilder();
        for (String word : words) {
            command.append(command.length() == 0 ? "" : " ").append(quote(word));
        }
        return command.toString();
    }

    /** {@code word} for a POSIX shell, as one word whatever it holds: {@code 'it'\''s'}. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static void check(Pattern pattern, String value, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a valid " + what);
        }
    }
}
