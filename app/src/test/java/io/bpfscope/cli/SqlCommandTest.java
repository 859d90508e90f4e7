package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bpfscope.Main;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureMerge;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.store.CaptureSummary;
import io.bpfscope.sql.CaptureDatabase;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bpfscope sql} and {@code export --format parquet} on the demo capture (recorded with real
 * probes: curl and Python over HTTPS): the counts SQL gives equal info's and JSON Lines', a time is a
 * timestamp, two captures of two hosts group by host, and the Parquet dataset reads back the same.
 */
class SqlCommandTest {
    private static final Path DEMO = Path.of(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap");

    @TempDir
    Path dir;

    @Test
    void countsPerProbeAndCommEqualInfoAndJsonLines() throws Exception {
        CaptureSummary summary;
        try (CaptureReader reader = CaptureReader.open(DEMO)) {
            summary = CaptureSummary.read(reader);
        }
        Path jsonl = dir.resolve("demo.jsonl");
        assertThat(Main.run("export", DEMO.toString(), "-f", "jsonl", "-o", jsonl.toString())).isZero();
        List<JsonObject> events = Files.readAllLines(jsonl).stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        Map<String, Long> jsonPerProbe = new TreeMap<>(events.stream().collect(
                Collectors.groupingBy(e -> e.get("probe").getAsString(), Collectors.counting())));
        Map<String, Long> jsonPerComm = new TreeMap<>(events.stream().collect(
                Collectors.groupingBy(e -> e.get("probe").getAsString() + "/" + e.get("comm").getAsString(), Collectors.counting())));

        Map<String, Long> sqlPerProbe = pairs(sql("SELECT probe, count(*) FROM events GROUP BY probe"));
        Map<String, Long> sqlPerComm = pairs(sql("SELECT probe || '/' || comm, count(*) FROM events GROUP BY ALL"));

        assertThat(sqlPerProbe).isEqualTo(new TreeMap<>(summary.eventsPerProbe())).isEqualTo(jsonPerProbe);
        assertThat(sqlPerProbe.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(summary.events()).isEqualTo(549);
        assertThat(sqlPerComm).isEqualTo(jsonPerComm).containsKey("tls/curl");
        // each probe's own table has that probe's events
        for (Map.Entry<String, Long> probe : sqlPerProbe.entrySet()) {
            assertThat(pairs(sql("SELECT 'n', count(*) FROM " + probe.getKey()))).containsEntry("n", probe.getValue());
        }
    }

    @Test
    void timeIsATimestampAndFieldsHaveTheirTypes() throws Exception {
        Path jsonl = dir.resolve("demo.jsonl");
        assertThat(Main.run("export", DEMO.toString(), "-f", "jsonl", "-o", jsonl.toString())).isZero();
        List<JsonObject> events = Files.readAllLines(jsonl).stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        Instant middle = Instant.parse(events.get(events.size() / 2).get("time").getAsString());
        long later = events.stream().filter(e -> Instant.parse(e.get("time").getAsString()).isAfter(middle)).count();

        String cut = middle.toString().replace('T', ' ').replace("Z", "");
        String types = sql("--format", "csv", "SELECT typeof(time), typeof(argv), typeof(payload), typeof(ppid),"
                + " typeof(args_truncated) FROM exec LIMIT 1");
        assertThat(types.split("\r\n")[1]).isEqualTo("TIMESTAMP_NS,VARCHAR[],BLOB,BIGINT,BOOLEAN");
        String counted = sql("--format", "csv", "SELECT count(*) FROM events WHERE time > TIMESTAMP_NS '" + cut + "'");
        assertThat(counted.split("\r\n")[1]).isEqualTo(Long.toString(later));
        assertThat(later).isBetween(1L, (long) events.size() - 1);
        // the first event's time, to the nanosecond, as JSON Lines has it
        String first = sql("--format", "jsonl", "SELECT time FROM events ORDER BY time LIMIT 1");
        assertThat(first.trim()).isEqualTo("{\"time\":\"" + events.stream().map(e -> e.get("time").getAsString()).sorted()
                .findFirst().orElseThrow() + "\"}");
    }

    @Test
    void twoCapturesOfTwoHostsGroupByHost() throws Exception {
        Path other = dir.resolve("other.bscap");
        writeAsHost(DEMO, other, "db-server-2");
        Map<String, Long> perHost = pairs(sql(DEMO.toString(), other.toString(), "SELECT host, count(*) FROM events GROUP BY host"));
        assertThat(perHost).containsExactlyInAnyOrderEntriesOf(Map.of("vm", 549L, "db-server-2", 549L));
        Map<String, Long> curlPerHost = pairs(sql(DEMO.toString(), other.toString(),
                "SELECT host, count(*) FROM exec WHERE comm = 'curl' GROUP BY host"));
        assertThat(curlPerHost.keySet()).containsExactlyInAnyOrder("vm", "db-server-2");
    }

    @Test
    void aMergedCaptureKeepsEachProbesHost() throws Exception {
        Path other = dir.resolve("other.bscap");
        writeAsHost(DEMO, other, "db-server-2");
        Path merged = dir.resolve("merged.bscap");
        try (CaptureReader a = CaptureReader.open(DEMO); CaptureReader b = CaptureReader.open(other);
                OutputStream out = Files.newOutputStream(merged)) {
            CaptureMerge.byTime(List.of(a, b), List.of("demo", "other"), out);
        }
        Map<String, Long> perHost = pairs(sql(merged.toString(), "SELECT host, count(*) FROM events GROUP BY host"));
        assertThat(perHost).containsExactlyInAnyOrderEntriesOf(Map.of("vm", 549L, "db-server-2", 549L));
    }

    @Test
    void badQueryIsOneLineAndExitTwo() {
        String out = CommandOutput.both("sql", DEMO.toString(), "SELECT nosuch FROM events");
        assertThat(out.strip()).startsWith("bpfscope: sql: Binder Error").contains("nosuch").doesNotContain("\n").doesNotContain("at org.");
        assertThat(Main.run("sql", DEMO.toString(), "SELEC 1")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aQueryLoadsWhatItReadsWithTheRowsAndErrorsOfAFullLoad() throws Exception {
        for (String query : List.of("SELECT comm, count(*) FROM events GROUP BY ALL ORDER BY ALL",
                "SELECT x.argv, e.probe FROM exec x JOIN events e USING (pid) ORDER BY e.seq, x.seq")) {
            assertThat(sql("--format", "csv", DEMO.toString(), query))
                    .isEqualTo(sql("--format", "csv", "--load-all", DEMO.toString(), query)).contains("curl");
        }
        // refused before loading, with the message a full load gives
        String refused = CommandOutput.both("sql", DEMO.toString(), "SELECT argv FROM open");
        assertThat(refused.strip()).startsWith("bpfscope: sql: Binder Error")
                .isEqualTo(CommandOutput.both("sql", "--load-all", DEMO.toString(), "SELECT argv FROM open").strip());
        assertThat(Main.run("sql", DEMO.toString(), "SELECT argv FROM open")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void tableIsEscapedAndCsvIsInert() throws Exception {
        String table = sql("SELECT 'evil' || chr(27) || '[2J' AS name, 1 AS n");
        assertThat(table).contains("evil\\x1b[2J").doesNotContain("\u001b");
        String csv = sql("--format", "csv", "SELECT '=HYPERLINK(\"x\")' AS f, -5 AS n");
        assertThat(csv).isEqualTo("f,n\r\n\"'=HYPERLINK(\"\"x\"\")\",-5\r\n");
        assertThat(sql("--tables", DEMO.toString())).contains("events").contains("tls").contains("argv VARCHAR[]");
    }

    @Test
    void parquetDatasetReadsBackWithTheSameRowsAndTypes() throws Exception {
        Path parquet = dir.resolve("dataset");
        assertThat(Main.run("export", DEMO.toString(), "-f", "parquet", "-o", parquet.toString())).isZero();
        assertThat(Files.isRegularFile(parquet.resolve("probe=exec/data.parquet"))).isTrue();
        try (Stream<Path> all = Files.walk(parquet)) {
            for (Path path : (Iterable<Path>) all::iterator) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
                        .isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
            }
        }
        try (CaptureDatabase database = CaptureDatabase.open()) {
            database.load(List.of(io.bpfscope.capture.file.CaptureSource.of(DEMO.toString(), false)), r -> true, () -> false);
            String glob = parquet.resolve("*/*.parquet").toString();
            assertThat(column(database, "SELECT probe || '=' || count(*) FROM read_parquet('" + glob
                    + "', hive_partitioning = true, union_by_name = true) GROUP BY probe ORDER BY 1"))
                    .isEqualTo(column(database, "SELECT probe || '=' || count(*) FROM events GROUP BY probe ORDER BY 1"));
            for (io.bpfscope.sql.ProbeTable table : database.tables()) {
                String file = "read_parquet('" + parquet.resolve("probe=" + table.name() + "/data.parquet") + "', hive_partitioning = false)";
                assertThat(column(database, "SELECT column_name || ' ' || column_type FROM (DESCRIBE SELECT * FROM " + file + ")"))
                        .isEqualTo(column(database, "SELECT column_name || ' ' || column_type FROM (DESCRIBE " + table.name() + ")"));
                assertThat(column(database, "SELECT count(*) FROM (SELECT * FROM " + table.name() + " EXCEPT ALL SELECT * FROM " + file
                        + ") UNION ALL SELECT count(*) FROM (SELECT * FROM " + file + " EXCEPT ALL SELECT * FROM " + table.name() + ")"))
                        .containsExactly("0", "0");
            }
        }
        // An existing directory that is not empty is refused without --force, and with it only its dataset is replaced.
        Files.writeString(parquet.resolve("notes.txt"), "mine");
        assertThat(CommandOutput.both("export", DEMO.toString(), "-f", "parquet", "-o", parquet.toString()))
                .contains("not empty");
        assertThat(Main.run("export", DEMO.toString(), "-f", "parquet", "-Y", "probe == exec", "--force", "-o", parquet.toString())).isZero();
        try (Stream<Path> parts = Files.list(parquet)) {
            assertThat(parts.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("notes.txt", "probe=exec");
        }
        try (Stream<Path> beside = Files.list(dir)) {
            assertThat(beside.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    /** A copy of {@code from} whose header names another host: a capture "recorded there". */
    static void writeAsHost(Path from, Path to, String hostname) throws IOException {
        List<byte[]> records = new ArrayList<>();
        CaptureHeader header;
        io.bpfscope.capture.file.CaptureCounters counters;
        try (CaptureReader reader = CaptureReader.open(from)) {
            for (RawRecord raw = reader.next(); raw != null; raw = reader.next()) {
                records.add(raw.copy());
            }
            header = reader.header();
            counters = reader.counters().orElseThrow();
        }
        CaptureHeader there = new CaptureHeader(header.format(), header.version(), header.bpfscopeVersion(), hostname,
                header.kernel(), header.bootToWallNanos(), header.startNanos(), header.ringBufferBytes(), header.probes());
        try (OutputStream out = Files.newOutputStream(to)) {
            CaptureWriter writer = new CaptureWriter(out, there);
            for (byte[] record : records) {
                writer.append(record, 0, record.length);
            }
            writer.finish(counters);
        }
    }

    private static String sql(String... arguments) {
        List<String> line = new ArrayList<>(List.of("sql"));
        boolean hasFile = Stream.of(arguments).anyMatch(a -> a.endsWith(".bscap"));
        if (!hasFile) {
            line.add(DEMO.toString());
        }
        line.addAll(List.of(arguments));
        ByteArrayOutput out = new ByteArrayOutput();
        int code = out.run(line.toArray(String[]::new));
        assertThat(code).as(out.text()).isZero();
        return out.text();
    }

    /** Runs a command line and keeps its stdout. */
    private static final class ByteArrayOutput {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        int run(String... arguments) {
            java.io.PrintStream original = System.out;
            System.setOut(new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8));
            try {
                return Main.run(arguments);
            } finally {
                System.setOut(original);
            }
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** A two-column text table as key -> count. */
    private static Map<String, Long> pairs(String table) {
        Map<String, Long> pairs = new TreeMap<>();
        String[] lines = table.split("\n");
        for (int i = 2; i < lines.length; i++) { // after the header and its rule
            String line = lines[i].strip();
            if (line.startsWith("(")) {
                break;
            }
            int gap = line.lastIndexOf(' ');
            pairs.put(line.substring(0, gap).strip(), Long.parseLong(line.substring(gap + 1)));
        }
        return pairs;
    }

    private static List<String> column(CaptureDatabase database, String query) throws Exception {
        List<String> values = new ArrayList<>();
        database.query(query, new CaptureDatabase.Rows() {
            @Override
            public void columns(List<String> names, List<String> types) {
            }

            @Override
            public void row(Object[] row) {
                values.add(String.valueOf(row[0]));
            }
        }, Long.MAX_VALUE);
        return values;
    }
}
