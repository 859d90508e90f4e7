package io.bpfscope.capture.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about this host for capture headers. Thread-safe. */
public final class HostInfo {
    private HostInfo() {
    }

    public static String hostname() {
        return readFirstLine(Path.of("/proc/sys/kernel/hostname"), "unknown");
    }

    public static String kernelRelease() {
        return readFirstLine(Path.of("/proc/sys/kernel/osrelease"), System.getProperty("os.version"));
    }

    public static String bpfscopeVersion() {
        String version = HostInfo.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private static String readFirstLine(Path path, String fallback) {
        try {
            return Files.readString(path).trim();
        } catch (IOException e) {
            return fallback;
        }
    }
}
