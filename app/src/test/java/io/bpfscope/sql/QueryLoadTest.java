package io.bpfscope.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.capture.file.RawRecord;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CaptureDatabase#loadFor}: a load of what one query reads gives that
 * query the rows a full load gives, on the demo capture (recorded with real
 * probes: curl and Python over HTTPS; six probes); and it does load less.
 */
class QueryLoadTest {
    private static final Path DEMO = Path.of(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap");

    /** Queries whose rows must not depend on what was loaded; each has an ORDER BY that leaves no ties. */
    private static final List<String> QUERIES = List.of(
            "SELECT probe, count(*) FROM events GROUP BY probe ORDER BY probe",
            "SELECT probe, comm, count(*) FROM events GROUP BY ALL ORDER BY ALL",
            "SELECT count(*) FROM exec",
            "SELECT count(*), count(summary), count(payload) FROM tls",
            "SELECT e.seq, e.probe, e.comm, x.argv, x.filename FROM exec x JOIN events e ON e.pid = x.pid ORDER BY e.seq, x.seq",
            "SELECT comm FROM open WHERE path LIKE '/etc/%' ORDER BY seq",   // WHERE on a column not selected
            "SELECT summary FROM events ORDER BY time DESC, seq",             // ORDER BY columns not selected
            "SELECT * FROM tls ORDER BY seq",
            "SELECT * EXCLUDE (payload) FROM exec ORDER BY seq",
            "SELECT COLUMNS('^p') FROM exec ORDER BY seq",
            "WITH busy AS (SELECT comm, count(*) AS n FROM events GROUP BY comm) SELECT b.comm, b.n, count(t.seq) FROM busy b"
                    + " LEFT JOIN tls t USING (comm) GROUP BY ALL ORDER BY ALL",
            "SELECT comm, payload_len FROM tls WHERE pid IN (SELECT pid FROM exec WHERE argv[1] = 'curl') ORDER BY seq",
            "SELECT table_name, column_name, data_type FROM information_schema.columns ORDER BY table_name, ordinal_position",
            "SELECT seq, pid, row_number() OVER (PARTITION BY comm ORDER BY time, seq) AS nth, lag(probe) OVER (ORDER BY seq)"
                    + " FROM events ORDER BY seq",
            "SELECT x FROM exec x ORDER BY x.seq",                            // a whole row
            "SELECT count(*) FROM exec NATURAL JOIN events",                  // joins on every common column
            "SELECT (SELECT count(*) FROM dns), (SELECT max(seq) FROM unix), 1 + 1",
            "SELECT comm, count(*) FROM open GROUP BY comm UNION ALL SELECT 'all', count(*) FROM events ORDER BY ALL",
            "SELECT host, uid, tid, count(*) FROM events GROUP BY host, uid, tid ORDER BY host, uid, tid",
            "SELECT comm, max(time) FROM events GROUP BY ALL ORDER BY ALL DESC",
            "SELECT 42");

    @Test
    void eachQueryGivesTheRowsOfAFullLoad() throws Exception {
        for (String query : QUERIES) {
            assertThat(rows(query, query)).as(query).isEqualTo(rows(null, query)).isNotEmpty();
        }
    }

    @Test
    void aQueryOfOneTableLoadsThatTableAndTheColumnsItNames() throws Exception {
        try (CaptureDatabase database = CaptureDatabase.open(); CaptureSource source = CaptureSource.of(DEMO.toString(), false)) {
            CaptureDatabase.Loaded loaded = database.loadFor("SELECT comm FROM exec WHERE pid > 0", List.of(source), () -> false);

            assertThat(loaded.events()).isEqualTo(9); // the other probes' records were not decoded
            assertThat(values(database, "SELECT count(*) FROM open")).containsExactly("0");
            assertThat(values(database, "SELECT count(*), count(comm), count(pid), count(summary), count(argv) FROM exec"))
                    .containsExactly("9", "9", "9", "0", "0");
            // still every column with its type, and every table
            assertThat(values(database, "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'main' AND table_name = 'exec'"))
                    .containsExactly(String.valueOf(database.tables().stream().filter(t -> t.name().equals("exec"))
                            .findFirst().orElseThrow().columns().size()));
            assertThat(values(database, "SELECT data_type FROM information_schema.columns WHERE table_name = 'exec'"
                    + " AND table_schema = 'main' AND column_name = 'argv'")).containsExactly("VARCHAR[]");
            assertThat(database.tables()).extracting(ProbeTable::name).contains("open", "tls", "dns", "tcp", "unix");
        }
    }

    @Test
    void eventsLoadsEveryTableButOnlyItsColumnsAndCountStarStillCountsEveryRow() throws Exception {
        try (CaptureDatabase database = CaptureDatabase.open(); CaptureSource source = CaptureSource.of(DEMO.toString(), false)) {
            CaptureDatabase.Loaded loaded = database.loadFor("SELECT count(*) FROM events", List.of(source), () -> false);

            assertThat(loaded.events()).isEqualTo(549);
            assertThat(values(database, "SELECT count(*), count(seq), count(comm), count(summary) FROM events"))
                    .containsExactly("549", "549", "0", "0");
        }
    }

    @Test
    void aQueryDuckDbRejectsFailsBeforeLoadingWithItsOwnMessage() throws Exception {
        for (String query : List.of("SELECT nosuch FROM exec", "SELEC 1", "SELECT comm FROM events WHERE no_function(pid)")) {
            String fullLoadMessage;
            try (CaptureDatabase database = CaptureDatabase.open(); CaptureSource source = CaptureSource.of(DEMO.toString(), false)) {
                database.loadFor(null, List.of(source), () -> false);
                fullLoadMessage = org.assertj.core.api.Assertions.catchThrowableOfType(
                        () -> database.query(query, new Collected(), 10), SQLException.class).getMessage();
            }
            try (CaptureDatabase database = CaptureDatabase.open(); CaptureSource source = CaptureSource.of(DEMO.toString(), false)) {
                assertThatThrownBy(() -> database.loadFor(query, List.of(source), () -> false))
                        .isInstanceOf(QueryRefusedException.class).hasMessage(fullLoadMessage);
                assertThat(values(database, "SELECT count(*) FROM exec")).containsExactly("0");
            }
        }
    }

    @Test
    void whatAQueryReadsByDuckDbsParser() throws Exception {
        try (CaptureDatabase database = CaptureDatabase.open()) {
            java.sql.Connection connection = database.connectionForTests();
            ProbeTable exec = new ProbeTable("exec", "exec", List.of(new ProbeTable.Column("argv", ProbeTable.SqlType.VARCHAR_LIST)));
            ProbeTable open = new ProbeTable("open", "open", List.of(new ProbeTable.Column("path", ProbeTable.SqlType.VARCHAR)));

            QueryReads reads = QueryReads.of(connection, "SELECT \"Comm\", count(*) FROM exec e WHERE e.argv[1] = 'x' GROUP BY ALL");
            assertThat(reads.reads(exec)).isTrue();
            assertThat(reads.reads(open)).isFalse();
            assertThat(reads.columnsOf(exec)).extracting(ProbeTable.Column::name).containsExactly("comm", "argv");
            assertThat(QueryReads.of(connection, "SELECT count(*) FROM exec").columnsOf(exec))
                    .extracting(ProbeTable.Column::name).containsExactly("seq");
            assertThat(QueryReads.of(connection, "SELECT pid FROM events").reads(open)).isTrue();
            assertThat(QueryReads.of(connection, "SELECT comm FROM exec ORDER BY ALL").columnsOf(exec))
                    .extracting(ProbeTable.Column::name).containsExactly("comm");
            assertThat(QueryReads.of(connection, "SELECT * FROM exec").columnsOf(exec)).isEqualTo(exec.columns());
            assertThat(QueryReads.of(connection, "SELECT COLUMNS('c.*') FROM exec").columnsOf(exec)).isEqualTo(exec.columns());
            assertThat(QueryReads.of(connection, "SELECT e FROM exec e").columnsOf(exec)).isEqualTo(exec.columns());
            assertThat(QueryReads.of(connection, "SELECT count(*) FROM exec NATURAL JOIN open").columnsOf(open)).isEqualTo(open.columns());
            assertThat(QueryReads.of(connection, "SELECT * FROM duckdb_tables()").everything()).isTrue();
            assertThat(QueryReads.of(connection, "SELECT * FROM query_table('exec')").everything()).isTrue();
            assertThat(QueryReads.of(connection, "SELECT * FROM information_schema.tables").everything()).isTrue();
            assertThat(QueryReads.of(connection, "CREATE TABLE t AS SELECT comm FROM exec").everything()).isTrue();
            assertThat(QueryReads.of(connection, "PIVOT exec ON comm").everything()).isTrue();
        }
    }

    @Test
    void aProbeDeclaredLaterInTheFileIsLoadedAsTheQueryReadsIt(@TempDir Path dir) throws Exception {
        Path late = dir.resolve("late.bscap");
        writeWithExecDeclaredLate(late);
        String query = "SELECT comm, count(*) FROM exec GROUP BY ALL ORDER BY ALL";
        assertThat(rows(late, query, query)).isEqualTo(rows(late, null, query)).isEqualTo(rows(DEMO, null, query));
        try (CaptureDatabase database = CaptureDatabase.open(); CaptureSource source = CaptureSource.of(late.toString(), false)) {
            database.loadFor(query, List.of(source), () -> false);
            // made during the load, then narrowed: every column still, only comm (and the rows) loaded
            assertThat(values(database, "SELECT count(*), count(comm), count(argv) FROM exec")).containsExactly("9", "9", "0");
            assertThat(values(database, "SELECT count(*) FROM open")).containsExactly("0");
        }
    }

    /** The demo capture with exec's probe entry not in the header but in a PROBE block before the records. */
    private static void writeWithExecDeclaredLate(Path to) throws Exception {
        List<byte[]> records = new ArrayList<>();
        CaptureHeader header;
        CaptureCounters counters;
        try (CaptureReader reader = CaptureReader.open(DEMO)) {
            for (RawRecord raw = reader.next(); raw != null; raw = reader.next()) {
                records.add(raw.copy());
            }
            header = reader.header();
            counters = reader.counters().orElseThrow();
        }
        CaptureHeader.ProbeEntry exec = header.probes().stream().filter(p -> p.name().equals("exec")).findFirst().orElseThrow();
        CaptureHeader withoutExec = new CaptureHeader(header.format(), header.version(), header.bpfscopeVersion(), header.hostname(),
                header.kernel(), header.bootToWallNanos(), header.startNanos(), header.ringBufferBytes(),
                header.probes().stream().filter(p -> p != exec).toList());
        try (OutputStream out = Files.newOutputStream(to)) {
            CaptureWriter writer = new CaptureWriter(out, withoutExec);
            writer.addProbe(exec);
            for (byte[] record : records) {
                writer.append(record, 0, record.length);
            }
            writer.finish(counters);
        }
        try (CaptureReader reader = CaptureReader.open(to)) {
            assertThat(reader.header().probes()).extracting(CaptureHeader.ProbeEntry::name).doesNotContain("exec");
        }
    }

    /** The rows of {@code query} after a load for {@code loadFor} (null: everything), as text. */
    private static List<String> rows(String loadFor, String query) throws Exception {
        return rows(DEMO, loadFor, query);
    }

    private static List<String> rows(Path capture, String loadFor, String query) throws Exception {
        try (CaptureDatabase database = CaptureDatabase.open(); CaptureSource source = CaptureSource.of(capture.toString(), false)) {
            database.loadFor(loadFor, List.of(source), () -> false);
            Collected collected = new Collected();
            database.query(query, collected, Long.MAX_VALUE);
            return collected.rows;
        }
    }

    private static List<String> values(CaptureDatabase database, String query) throws Exception {
        Collected collected = new Collected();
        database.query(query, collected, Long.MAX_VALUE);
        return collected.rows.stream().skip(1).flatMap(row -> Arrays.stream(row.split("\t"))).toList();
    }

    /** A result as lines: the columns and types, then each row's values (byte arrays by content). */
    private static final class Collected implements CaptureDatabase.Rows {
        final List<String> rows = new ArrayList<>();

        @Override
        public void columns(List<String> names, List<String> types) {
            rows.add(names + " " + types);
        }

        @Override
        public void row(Object[] values) {
            List<String> cells = new ArrayList<>();
            for (Object value : values) {
                cells.add(value instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(value));
            }
            rows.add(String.join("\t", cells));
        }
    }
}
