package io.bpfscope.bridge.elf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** binutils {@code readelf}, as an independent opinion on symbol addresses and load segments. */
final class ReadElf {

    private ReadElf() {
    }

    static boolean available() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, "readelf")));
    }

    /** The file offset of {@code qualifiedName} (as readelf prints it, e.g. {@code f@@V}), through PT_LOAD. */
    static long uprobeOffset(Path file, String qualifiedName) throws IOException, InterruptedException {
        long address = run("-W", "--dyn-syms", file.toString()).stream()
                .map(line -> line.trim().split("\\s+"))
                .filter(f -> f.length >= 8 && f[7].equals(qualifiedName))
                .mapToLong(f -> Long.parseUnsignedLong(f[1], 16))
                .findFirst()
                .orElseThrow(() -> new AssertionError("readelf does not list " + qualifiedName));
        // "  LOAD  0x026000 0x0000000000026000 0x0000000000026000 0x1550fc 0x1550fc R E 0x1000"
        return run("-W", "-l", file.toString()).stream()
                .map(line -> line.trim().split("\\s+"))
                .filter(f -> f.length >= 6 && f[0].equals("LOAD"))
                .filter(f -> address >= hex(f[2]) && address < hex(f[2]) + hex(f[4]))
                .mapToLong(f -> address - hex(f[2]) + hex(f[1]))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no LOAD segment holds " + qualifiedName));
    }

    private static long hex(String text) {
        return Long.parseUnsignedLong(text.substring(2), 16);
    }

    private static List<String> run(String... arguments) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Stream.concat(Stream.of("readelf"), Stream.of(arguments)).toList())
                .redirectErrorStream(true)
                .start();
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (process.waitFor() != 0) {
            throw new IOException("readelf " + String.join(" ", arguments) + " failed: " + lines);
        }
        return lines;
    }
}
