package io.bpfscope.probes.open;

import io.bpfscope.bridge.sys.Errno;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A file open, successful ({@code ret} is the fd) or not ({@code ret} is
 * -errno). Flag names use the x86_64 (asm-generic) values.
 */
public record OpenEvent(EventHeader header, Syscall syscall, String path, boolean pathTruncated, long openFlags,
                        int mode, long resolve, int dfd, int ret) implements DecodedEvent {
    public static final int AT_FDCWD = -100;

    static final long O_ACCMODE = 03;
    static final long O_CREAT = 0100;
    static final long O_DIRECTORY = 0200000;
    static final long O_DSYNC = 010000;
    static final long O_SYNC_ONLY = 04000000;   // __O_SYNC: O_SYNC is this | O_DSYNC
    static final long O_TMPFILE_ONLY = 020000000; // __O_TMPFILE: O_TMPFILE is this | O_DIRECTORY

    private static final String[] ACCESS = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
    /** In the order strace prints them; O_SYNC and O_TMPFILE are handled apart (they include other bits). */
    private static final Object[][] FLAGS = {
        {0100L, "O_CREAT"}, {0200L, "O_EXCL"}, {0400L, "O_NOCTTY"}, {01000L, "O_TRUNC"}, {02000L, "O_APPEND"},
        {04000L, "O_NONBLOCK"}, {010000L, "O_DSYNC"}, {020000L, "O_ASYNC"}, {040000L, "O_DIRECT"},
        {0100000L, "O_LARGEFILE"}, {0200000L, "O_DIRECTORY"}, {0400000L, "O_NOFOLLOW"}, {01000000L, "O_NOATIME"},
        {02000000L, "O_CLOEXEC"}, {010000000L, "O_PATH"},
    };
    private static final String[] RESOLVE = {
        "RESOLVE_NO_XDEV", "RESOLVE_NO_MAGICLINKS", "RESOLVE_NO_SYMLINKS", "RESOLVE_BENEATH", "RESOLVE_IN_ROOT",
        "RESOLVE_CACHED",
    };

    /** The system call that opened it (open.h's OPEN_SYSCALL_*). */
    public enum Syscall {
        UNKNOWN("unknown"), OPENAT("openat"), OPENAT2("openat2"), OPEN("open"), CREAT("creat");

        private final String callName;

        Syscall(String callName) {
            this.callName = callName;
        }

        public String callName() {
            return callName;
        }

        static Syscall of(int code) {
            Syscall[] all = values();
            return code > 0 && code < all.length ? all[code] : UNKNOWN;
        }
    }

    public boolean failed() {
        return ret < 0;
    }

    /** The new file descriptor, or -1 when the open failed. */
    public int fd() {
        return failed() ? -1 : ret;
    }

    /** Whether the mode argument counts: the call may create a file. */
    public boolean createsFile() {
        return (openFlags & O_CREAT) != 0 || (openFlags & O_TMPFILE_ONLY) != 0;
    }

    /** {@code O_WRONLY|O_CREAT|O_CLOEXEC}; unknown bits last, in octal. */
    public static String flagsText(long flags) {
        StringJoiner text = new StringJoiner("|");
        text.add(ACCESS[(int) (flags & O_ACCMODE)]);
        long rest = flags & ~O_ACCMODE;
        if ((rest & O_SYNC_ONLY) != 0 && (rest & O_DSYNC) != 0) {
            rest &= ~(O_SYNC_ONLY | O_DSYNC);
            text.add("O_SYNC");
        }
        boolean tmpfile = (rest & O_TMPFILE_ONLY) != 0 && (rest & O_DIRECTORY) != 0;
        if (tmpfile) {
            rest &= ~(O_TMPFILE_ONLY | O_DIRECTORY);
        }
        for (Object[] flag : FLAGS) {
            long bit = (Long) flag[0];
            if ((rest & bit) != 0) {
                text.add((String) flag[1]);
                rest &= ~bit;
            }
        }
        if (tmpfile) {
            text.add("O_TMPFILE");
        }
        if (rest != 0) {
            text.add("0" + Long.toOctalString(rest));
        }
        return text.toString();
    }

    /** {@code RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS}, or empty for 0. */
    public static String resolveText(long resolve) {
        StringJoiner text = new StringJoiner("|");
        long rest = resolve;
        for (int i = 0; i < RESOLVE.length; i++) {
            if ((rest & (1L << i)) != 0) {
                text.add(RESOLVE[i]);
                rest &= ~(1L << i);
            }
        }
        if (rest != 0) {
            text.add("0x" + Long.toHexString(rest));
        }
        return text.toString();
    }

    /** The mode in octal, {@code 0640}. */
    public String modeText() {
        return String.format("%04o", mode & 07777);
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("syscall", syscall.callName());
        fields.put("path", path);
        fields.put("path_truncated", pathTruncated);
        fields.put("flags", openFlags);
        fields.put("flags_text", flagsText(openFlags));
        if (createsFile()) {
            fields.put("mode", modeText());
        }
        if (resolve != 0) {
            fields.put("resolve", resolveText(resolve));
        }
        fields.put("dfd", dfd);
        fields.put("fd", fd());
        if (failed()) {
            fields.put("error", Errno.name(ret));
        }
        return fields;
    }

    @Override
    public String summary() {
        StringBuilder text = new StringBuilder(syscall.callName()).append(' ');
        if (dfd != AT_FDCWD && !path.startsWith("/")) {
            text.append("dfd ").append(dfd).append(": ");
        }
        text.append(path).append(pathTruncated ? "…" : "").append(' ').append(flagsText(openFlags));
        if (createsFile()) {
            text.append(' ').append(modeText());
        }
        text.append(" → ").append(failed() ? Errno.name(ret) : String.valueOf(ret));
        return text.toString();
    }
}
