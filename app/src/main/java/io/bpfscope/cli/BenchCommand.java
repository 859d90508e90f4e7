package io.bpfscope.cli;

import io.bpfscope.bench.IngestBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bpfscope bench ingest}: figures for docs/benchmarks.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark and print its figures: ingest (ring-buffer reader vs libbpf callback),"
                + " capture (write, open, export, heap per event), bigcapture (100M events: open, jump, info), filter (1M events), opens (vs opensnoop), soak (60M events through the store),"
                + " pulse (the window with 100,000 events/s arriving; needs a display), window (the window opening --file: first rows, jumps, a filter; needs a display), sql (10M events into SQL, a group-by, Parquet),"
                + " jsse (HTTPS requests of a JVM with and without the jsse agent), gotls (a Go HTTPS client's rate with and without the tls probe).")
public final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WHICH", description = "ingest, capture, bigcapture, filter, opens, soak, pulse, window, sql, jsse or gotls")
    String which;

    @Option(names = "--records", description = "Records per run (default ${DEFAULT-VALUE}).")
    long records = 5_000_000;

    @Option(names = "--burst", description = "Records per syscall (default ${DEFAULT-VALUE}, at most 4096).")
    int burst = 1000;

    @Option(names = "--buffer-size", converter = Units.SizeConverter.class, description = "Ring buffer size (default 16M).")
    long bufferSize = 16 << 20;

    @Option(names = "--rate", description = "Events/s: the paced ingest run (default 1000000), pulse (default 100000).")
    Long rate;

    @Option(names = "--seconds", description = "Seconds per phase of the pulse and gotls benchmarks (default ${DEFAULT-VALUE}).")
    int seconds = 10;

    @Option(names = "--phase", description = "pulse: both, unfiltered or filtered (default ${DEFAULT-VALUE}).")
    String phase = "both";

    @Override
    public Integer call() throws Exception {
        switch (which) {
            case "ingest":
                return ingest();
            case "capture":
                return capture();
            case "bigcapture":
                return bigCapture();
            case "opens":
                return opens();
            case "soak":
                return soak();
            case "pulse":
                return pulse();
            case "window":
                return window();
            case "sql":
                return sql();
            case "jsse":
                return jsse();
            case "gotls":
                return goTls();
            case "filter":
                System.out.print(io.bpfscope.bench.FilterBenchmark.run((int) Math.min(records, 1_000_000)));
                return ExitCodes.OK;
            default:
                throw new UserError(ExitCodes.USAGE, "no benchmark '" + which + "'; there are: ingest, capture, bigcapture, filter, opens, soak, pulse, window, sql, jsse, gotls");
        }
    }

    /** SQL and Parquet (DuckDB): 10M events unless --records says otherwise. */
    private int sql() throws Exception {
        long events = records == 5_000_000 ? 10_000_000L : records;
        System.out.printf("sql: %,d exec events, %d cores, heap %d MiB%n", events, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("bpfscope-bench");
        try {
            for (io.bpfscope.bench.CaptureBenchmark.Figure f : new io.bpfscope.bench.SqlBenchmark(events, dir).run()) {
                System.out.printf("  %-90s %,14.2f %-9s %s%n", f.what(), f.value(), f.unit(),
                        f.goal().isEmpty() ? "" : "(goal " + f.goal() + ")");
            }
        } finally {
            deleteTree(dir);
        }
        return ExitCodes.OK;
    }

    @Option(names = "--jdk", description = "jsse: the JDK whose java runs the client (default: this one).")
    java.nio.file.Path jdk;

    private int jsse() throws Exception {
        int requests = records == 5_000_000 ? 1000 : (int) Math.min(records, 1_000_000);
        java.nio.file.Path home = jdk != null ? jdk : java.nio.file.Path.of(System.getProperty("java.home"));
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("bpfscope-bench-jsse");
        try {
            System.out.printf("jsse: rounds of %,d HTTPS requests in a row, two JVMs (%s) to Python on loopback,"
                    + " one of them traced; the best of 5 rounds each%n", requests, home);
            for (io.bpfscope.bench.JsseBenchmark.Figure f : new io.bpfscope.bench.JsseBenchmark(home, requests, dir).run()) {
                System.out.printf("  %-58s %8.1f µs/request (best round)  %8.1f µs CPU/request%n", f.what(),
                        f.microsPerRequest(), f.cpuMicrosPerRequest());
            }
        } finally {
            deleteTree(dir);
        }
        return ExitCodes.OK;
    }

    /** Removes a benchmark's scratch directory and everything in it. */
    private static void deleteTree(java.nio.file.Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> paths = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    private int goTls() throws Exception {
        String hostProblem = ListProbesCommand.hostProblem();
        if (hostProblem != null) {
            throw new UserError(ExitCodes.PROBES, hostProblem);
        }
        if (io.bpfscope.bench.GoTlsBenchmark.go().isEmpty()) {
            throw new UserError(ExitCodes.USAGE, "this benchmark builds a Go client and server: apt-get install golang-go");
        }
        System.out.print(io.bpfscope.bench.GoTlsBenchmark.report(seconds));
        return ExitCodes.OK;
    }

    private int pulse() throws Exception {
        String displayProblem = DisplayCheck.problem();
        if (displayProblem != null) {
            throw new UserError(ExitCodes.USAGE, displayProblem + " (or run it under Xvfb: xvfb-run -a ./bpfscope bench pulse)");
        }
        io.bpfscope.ui.PulseBenchmark.Phases phases;
        try {
            phases = io.bpfscope.ui.PulseBenchmark.Phases.valueOf(phase.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, "no pulse phase '" + phase + "'; there are: both, unfiltered, filtered");
        }
        new io.bpfscope.ui.PulseBenchmark(rate == null ? 100_000 : rate, seconds, phases, System.out).run();
        return ExitCodes.OK;
    }

    @Option(names = "--filter", description = "window: a filter to apply over the whole capture (default: ${DEFAULT-VALUE}).")
    String windowFilter = "pid == 1234";

    @Option(names = "--jumps", description = "window: how many random jumps of each kind (default: ${DEFAULT-VALUE}).")
    int jumps = 50;

    /** The window opening --file and jumping about in it; needs a display. */
    private int window() throws Exception {
        String displayProblem = DisplayCheck.problem();
        if (displayProblem != null) {
            throw new UserError(ExitCodes.USAGE, displayProblem + " (or run it under Xvfb: xvfb-run -a ./bpfscope bench window --file F)");
        }
        if (file == null) {
            throw new UserError(ExitCodes.USAGE, "bench window needs --file CAPTURE (make a big one with bench bigcapture --file)");
        }
        new io.bpfscope.ui.WindowOpenBenchmark(file, jumps, windowFilter).run(); // prints as it goes
        return ExitCodes.OK;
    }

    private int capture() throws Exception {
        int events = (int) Math.min(Integer.MAX_VALUE, records == 5_000_000 ? 1_000_000 : records);
        System.out.printf("capture: %,d exec events (about 150 bytes each), heap %d MiB%n", events,
                Runtime.getRuntime().maxMemory() >> 20);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("bpfscope-bench");
        try {
            for (io.bpfscope.bench.CaptureBenchmark.Figure f : new io.bpfscope.bench.CaptureBenchmark(events, dir).run()) {
                System.out.printf("  %-55s %,14.1f %-9s %s%n", f.what(), f.value(), f.unit(),
                        f.goal().isEmpty() ? "" : "(goal " + f.goal() + ")");
            }
        } finally {
            java.nio.file.Files.deleteIfExists(dir);
        }
        return ExitCodes.OK;
    }

    @Option(names = "--file", description = "bigcapture: the capture to measure; written first when it does not exist, and kept.")
    java.nio.file.Path file;

    @Option(names = "--scan", description = "bigcapture: also time the full scan that opening cost before the index.")
    boolean scan;

    @Option(names = "--vs-tshark", description = "bigcapture: also time show -Y for the last event against tshark -Y"
            + " over a pcapng of as many packets (written beside the capture; use with --records 10000000).")
    boolean vsTshark;

    /** A capture of 100M events unless --records says otherwise; in the temporary directory unless --file says where. */
    private int bigCapture() throws Exception {
        long events = records == 5_000_000 ? 100_000_000L : records;
        java.nio.file.Path dir = file == null ? java.nio.file.Files.createTempDirectory("bpfscope-bench") : null;
        java.nio.file.Path capture = file == null ? dir.resolve("big.bscap") : file;
        System.out.printf("bigcapture: %,d exec events in %s, heap %d MiB%n", events, TerminalText.escape(capture.toString()),
                Runtime.getRuntime().maxMemory() >> 20);
        try {
            for (io.bpfscope.bench.CaptureBenchmark.Figure f : new io.bpfscope.bench.BigCaptureBenchmark(events, capture, scan, vsTshark).run()) {
                System.out.printf("  %-75s %,14.1f %-9s %s%n", f.what(), f.value(), f.unit(),
                        f.goal().isEmpty() ? "" : "(goal " + f.goal() + ")");
            }
        } finally {
            if (dir != null) {
                java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(capture + ".pcapng"));
                java.nio.file.Files.deleteIfExists(capture);
                java.nio.file.Files.deleteIfExists(dir);
            }
        }
        return ExitCodes.OK;
    }

    private int soak() throws Exception {
        long events = records == 5_000_000 ? 60_000_000L : records;
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("bpfscope-soak");
        try {
            System.out.printf("soak: %,d events (10 minutes at 100,000/s) through the live capture's file and store, heap %d MiB%n",
                    events, Runtime.getRuntime().maxMemory() >> 20);
            io.bpfscope.bench.SoakBenchmark.Result r = new io.bpfscope.bench.SoakBenchmark(events, dir).run();
            System.out.printf("  %,d events in %.1f s; file %,d MiB; store holds %,d MiB in memory; peak heap after GC %,d MiB%n",
                    r.events(), r.seconds(), r.fileBytes() >> 20, r.storeMemory() >> 20, r.peakHeapAfterGc() >> 20);
        } finally {
            java.nio.file.Files.deleteIfExists(dir);
        }
        return ExitCodes.OK;
    }

    private int opens() throws Exception {
        String hostProblem = ListProbesCommand.hostProblem();
        if (hostProblem != null) {
            throw new UserError(ExitCodes.PROBES, hostProblem);
        }
        if (!java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/sbin/opensnoop"))) {
            throw new UserError(ExitCodes.USAGE, "this benchmark compares with opensnoop: apt-get install libbpf-tools");
        }
        int opens = (int) Math.min(records == 5_000_000 ? 200_000 : records, 10_000_000);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("bpfscope-opens");
        io.bpfscope.bench.OpensBenchmark bench = new io.bpfscope.bench.OpensBenchmark(opens, dir);
        System.out.printf("opens: %,d open+close pairs from one process, traced by each tool in turn%n", opens);
        for (io.bpfscope.bench.OpensBenchmark.Result r : new io.bpfscope.bench.OpensBenchmark.Result[] {
                bench.opensnoop(), bench.bpfscope()}) {
            System.out.printf("  %-24s captured %,9d of %,d (%5.1f%%)  consumer CPU %,8.0f ns/event%n", r.tool(),
                    r.captured(), r.opens(), 100.0 * r.captured() / r.opens(), r.cpuNanosPerEvent());
        }
        try (var files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
                java.nio.file.Files.deleteIfExists(f);
            }
        }
        java.nio.file.Files.deleteIfExists(dir);
        return ExitCodes.OK;
    }

    private int ingest() throws Exception {
        String hostProblem = ListProbesCommand.hostProblem();
        if (hostProblem != null) {
            throw new UserError(ExitCodes.PROBES, hostProblem);
        }
        if (burst < 1 || burst > 4096) {
            throw new UserError(ExitCodes.USAGE, "--burst must be between 1 and 4096");
        }
        System.out.printf("ingest: %,d records of 56 bytes, %d per syscall, ring %d MiB, %d CPUs%n",
                records, burst, bufferSize >> 20, Runtime.getRuntime().availableProcessors());
        IngestBenchmark warmup = new IngestBenchmark(Math.min(records, 500_000), burst, (int) bufferSize, 0);
        warmup.runMmapReader();
        warmup.runLibbpfCallback();

        long pacedRate = rate == null ? 1_000_000 : rate;
        IngestBenchmark paced = new IngestBenchmark(records, burst, (int) bufferSize, pacedRate);
        System.out.printf("%npaced at %,d records/s (goal: 0 lost):%n", pacedRate);
        print(paced.runMmapReader());
        print(paced.runLibbpfCallback());

        IngestBenchmark flat = new IngestBenchmark(records, burst, (int) bufferSize, 0);
        System.out.println("\nas fast as the producer goes:");
        IngestBenchmark.Result mmap = flat.runMmapReader();
        IngestBenchmark.Result callback = flat.runLibbpfCallback();
        print(mmap);
        print(callback);
        System.out.printf("%nmmap reader vs callback: %.1fx the records/s, %.1fx less CPU per record%n",
                mmap.recordsPerSecond() / callback.recordsPerSecond(),
                callback.cpuNanosPerRecord() / Math.max(0.001, mmap.cpuNanosPerRecord()));
        return ExitCodes.OK;
    }

    private static void print(IngestBenchmark.Result r) {
        System.out.printf("  %-42s received %,11d  lost %,9d  %,12.0f records/s  %6.1f ns CPU/record%n",
                r.consumer(), r.received(), r.lost(), r.recordsPerSecond(), r.cpuNanosPerRecord());
    }
}
