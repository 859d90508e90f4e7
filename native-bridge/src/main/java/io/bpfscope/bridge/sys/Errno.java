package io.bpfscope.bridge.sys;

import java.util.HashMap;
import java.util.Map;

/** Linux errno numbers and their symbolic names (the x86_64/aarch64 generic table). Thread-safe. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int ENXIO = 6;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ELOOP = 40;
    public static final int E2BIG = 7;
    public static final int ENOSYS = 38;
    public static final int EOPNOTSUPP = 95;
    public static final int EDQUOT = 122;
    public static final int ENOTSUPP = 524;

    private static final Map<Integer, String> NAMES = new HashMap<>();

    static {
        String[] table = {
            "1 EPERM", "2 ENOENT", "3 ESRCH", "4 EINTR", "5 EIO", "6 ENXIO", "7 E2BIG", "8 ENOEXEC", "9 EBADF",
            "10 ECHILD", "11 EAGAIN", "12 ENOMEM", "13 EACCES", "14 EFAULT", "15 ENOTBLK", "16 EBUSY", "17 EEXIST",
            "18 EXDEV", "19 ENODEV", "20 ENOTDIR", "21 EISDIR", "22 EINVAL", "23 ENFILE", "24 EMFILE", "25 ENOTTY",
            "26 ETXTBSY", "27 EFBIG", "28 ENOSPC", "29 ESPIPE", "30 EROFS", "31 EMLINK", "32 EPIPE", "33 EDOM",
            "34 ERANGE", "35 EDEADLK", "36 ENAMETOOLONG", "37 ENOLCK", "38 ENOSYS", "39 ENOTEMPTY", "40 ELOOP",
            "42 ENOMSG", "43 EIDRM", "61 ENODATA", "62 ETIME", "67 ENOLINK", "71 EPROTO", "74 EBADMSG",
            "75 EOVERFLOW", "84 EILSEQ", "88 ENOTSOCK", "89 EDESTADDRREQ", "90 EMSGSIZE", "91 EPROTOTYPE",
            "92 ENOPROTOOPT", "93 EPROTONOSUPPORT", "94 ESOCKTNOSUPPORT", "95 EOPNOTSUPP", "96 EPFNOSUPPORT",
            "97 EAFNOSUPPORT", "98 EADDRINUSE", "99 EADDRNOTAVAIL", "100 ENETDOWN", "101 ENETUNREACH",
            "102 ENETRESET", "103 ECONNABORTED", "104 ECONNRESET", "105 ENOBUFS", "106 EISCONN", "107 ENOTCONN",
            "108 ESHUTDOWN", "110 ETIMEDOUT", "111 ECONNREFUSED", "112 EHOSTDOWN", "113 EHOSTUNREACH",
            "114 EALREADY", "115 EINPROGRESS", "116 ESTALE", "122 EDQUOT", "125 ECANCELED", "524 ENOTSUPP",
        };
        for (String row : table) {
            int space = row.indexOf(' ');
            NAMES.put(Integer.parseInt(row.substring(0, space)), row.substring(space + 1));
        }
    }

    private Errno() {
    }

    /** The symbolic name, e.g. {@code EPERM}; {@code errno 200} for one not in the table. Sign is ignored. */
    public static String name(int errno) {
        int positive = Math.abs(errno);
        return NAMES.getOrDefault(positive, "errno " + positive);
    }

    /** The number for a symbolic name, or -1. */
    public static int fromName(String name) {
        for (Map.Entry<Integer, String> entry : NAMES.entrySet()) {
            if (entry.getValue().equals(name)) {
                return entry.getKey();
            }
        }
        return -1;
    }

    /** Name and libc's text, e.g. {@code EPERM (Operation not permitted)}. */
    public static String describe(int errno) {
        int positive = Math.abs(errno);
        String text = positive == ENOTSUPP ? "Operation not supported" : LibC.INSTANCE.strerror(positive);
        return name(positive) + " (" + text + ")";
    }
}
