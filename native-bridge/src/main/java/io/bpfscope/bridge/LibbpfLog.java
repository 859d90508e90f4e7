package io.bpfscope.bridge;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.bpfscope.bridge.sys.LibC;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * Routes libbpf's messages to the developer log and lets an operation keep
 * what libbpf said while it ran (the verifier's log on a failed load), so the
 * exception carries it. Capture is per thread.
 */
final class LibbpfLog {
    private static final System.Logger LOG = System.getLogger("io.bpfscope.libbpf");
    private static final int LIBBPF_WARN = 0;
    private static final int LIBBPF_INFO = 1;
    private static final ThreadLocal<StringBuilder> CAPTURE = new ThreadLocal<>();

    // Held for the life of the process: native code keeps calling it.
    private static final LibBpf.PrintFunction PRINT = LibbpfLog::print;

    private LibbpfLog() {
    }

    static void install(LibBpf lib) {
        lib.libbpf_set_print(PRINT);
    }

    /** Starts keeping libbpf's messages on this thread; {@link #end()} returns them. */
    static void begin() {
        CAPTURE.set(new StringBuilder());
    }

    static String end() {
        StringBuilder captured = CAPTURE.get();
        CAPTURE.remove();
        return captured == null ? "" : captured.toString();
    }

    private static int print(int level, String format, Pointer vaList) {
        // va_list is passed by pointer on x86_64 and aarch64, so vasprintf can consume it here;
        // it sizes the text itself, which matters for verifier logs of megabytes.
        PointerByReference out = new PointerByReference();
        int n = LibC.INSTANCE.vasprintf(out, format, vaList);
        if (n < 0) {
            return 0;
        }
        Pointer textPointer = out.getValue();
        String text = textPointer.getString(0, StandardCharsets.UTF_8.name());
        Native.free(Pointer.nativeValue(textPointer));
        StringBuilder captured = CAPTURE.get();
        if (captured != null) {
            captured.append(text);
        }
        Level logLevel = level == LIBBPF_WARN ? Level.WARNING : level == LIBBPF_INFO ? Level.DEBUG : Level.TRACE;
        if (LOG.isLoggable(logLevel)) {
            LOG.log(logLevel, text.stripTrailing());
        }
        return n;
    }
}
