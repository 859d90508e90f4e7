package io.bpfscope.io;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.PointerByReference;
import io.bpfscope.bridge.sys.LibC;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The person bpfscope works for, who owns what it writes: under sudo (we are
 * euid 0 and sudo set {@code SUDO_UID}/{@code SUDO_GID}) the user who ran
 * sudo, otherwise whoever we run as. Their home comes from the password
 * database (getpwuid_r), never from root's {@code HOME}. Immutable, thread-safe.
 *
 * @param home null when the password database does not know the user
 */
public record InvokingUser(int uid, int gid, Path home, boolean viaSudo) {
    private static volatile InvokingUser current;

    /** Who we work for in this process (read once from the environment and the kernel). */
    public static InvokingUser current() {
        InvokingUser user = current;
        if (user == null) {
            int[] ids = ownIds();
            user = of(System.getenv(), ids[1], ids[0], ids[2]);
            current = user;
        }
        return user;
    }

    /** True when this process runs with euid 0 (read from /proc/self/status, without loading JNA). */
    public static boolean effectivelyRoot() {
        return ownIds()[1] == 0;
    }

    /**
     * Our real uid, effective uid and real gid, as the kernel reports them in /proc/self/status
     * (the same as getuid, geteuid, getgid; read as text, so a start that needs no other native
     * call does not pay for loading JNA).
     */
    private static int[] ownIds() {
        int[] ids = {-1, -1, -1};
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (!line.startsWith("Uid:") && !line.startsWith("Gid:")) {
                    continue; // split only the two lines wanted: a regex on each of the 50-odd lines cost every start
                }
                String[] fields = line.split("\\s+");
                if (fields[0].equals("Uid:")) {
                    ids[0] = Integer.parseInt(fields[1]);
                    ids[1] = Integer.parseInt(fields[2]);
                } else if (fields[0].equals("Gid:")) {
                    ids[2] = Integer.parseInt(fields[1]);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // no procfs (or an unreadable line): ask libc
        }
        if (ids[0] < 0 || ids[1] < 0 || ids[2] < 0) {
            LibC libc = LibC.INSTANCE;
            return new int[] {libc.getuid(), libc.geteuid(), libc.getgid()};
        }
        return ids;
    }

    /**
     * Who we work for, given the environment and our own ids: {@code SUDO_UID}
     * and {@code SUDO_GID} count only when we are euid 0 (a program run as a
     * user that merely inherited them must not hand its files to someone else).
     */
    static InvokingUser of(Map<String, String> env, int euid, int uid, int gid) {
        Optional<Integer> sudoUid = id(env.get("SUDO_UID"));
        Optional<Integer> sudoGid = id(env.get("SUDO_GID"));
        if (euid == 0 && sudoUid.isPresent() && sudoGid.isPresent() && sudoUid.get() != 0) {
            return new InvokingUser(sudoUid.get(), sudoGid.get(), homeOf(sudoUid.get()), true);
        }
        return new InvokingUser(uid, gid, Path.of(System.getProperty("user.home")), false);
    }

    /** An account as the password database has it; {@code home} null when it names none. */
    public record Account(String name, Path home, String shell) {
    }

    /** The password database's entry for {@code uid} (getpwuid_r: files, LDAP, whatever NSS says). */
    public static Optional<Account> account(int uid) {
        LibC.Passwd entry = new LibC.Passwd();
        Memory buffer = new Memory(16384);
        PointerByReference result = new PointerByReference();
        int error = LibC.INSTANCE.getpwuid_r(uid, entry, buffer, new NativeLong(buffer.size()), result);
        if (error != 0 || result.getValue() == null) {
            return Optional.empty();
        }
        entry.read();
        return Optional.of(new Account(entry.pw_name, entry.pw_dir == null || entry.pw_dir.isEmpty() ? null
                : Path.of(entry.pw_dir), entry.pw_shell));
    }

    /** The user's home directory from the password database, or null. */
    static Path homeOf(int uid) {
        return account(uid).map(Account::home).orElse(null);
    }

    /** A uid or gid as sudo writes it: decimal digits, nothing else. */
    private static Optional<Integer> id(String text) {
        if (text == null || text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        long value = Long.parseLong(text);
        return value > Integer.MAX_VALUE ? Optional.empty() : Optional.of((int) value);
    }
}
