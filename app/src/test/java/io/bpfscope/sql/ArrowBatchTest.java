package io.bpfscope.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

/**
 * Every column type through the Arrow C stream into a real DuckDB: the values, the NULLs
 * (a field the event lacks or one that does not fit its column), text that was not UTF-8,
 * a u64 past 2^63, empty strings and lists, and several batches, the later ones sealed
 * into the blocks DuckDB gave back.
 */
class ArrowBatchTest {
    private static final ProbeTable TABLE = new ProbeTable("t", "t", List.of(
            new ProbeTable.Column("n", ProbeTable.SqlType.BIGINT), new ProbeTable.Column("i", ProbeTable.SqlType.INTEGER),
            new ProbeTable.Column("h", ProbeTable.SqlType.HUGEINT), new ProbeTable.Column("s", ProbeTable.SqlType.VARCHAR),
            new ProbeTable.Column("b", ProbeTable.SqlType.BOOLEAN), new ProbeTable.Column("raw", ProbeTable.SqlType.BLOB),
            new ProbeTable.Column("words", ProbeTable.SqlType.VARCHAR_LIST),
            new ProbeTable.Column("nums", ProbeTable.SqlType.BIGINT_LIST)));

    /** An event with the given fields and payload. */
    private record Event(EventHeader header, Map<String, Object> fields, Payload payload) implements DecodedEvent {
        @Override
        public String summary() {
            return "summary of " + header.pid();
        }
    }

    @Test
    void everyTypeAndNullArrivesAsItWasAdded() throws Exception {
        try (Connection plain = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = plain.createStatement()) {
            DuckDBConnection connection = plain.unwrap(DuckDBConnection.class);
            StringBuilder ddl = new StringBuilder("CREATE TABLE t (");
            for (ProbeTable.Column column : TABLE.columns()) {
                ddl.append(ddl.length() > 16 ? ", " : "").append(column.name()).append(' ').append(column.type().sql());
            }
            statement.execute(ddl.append(')').toString());

            ArrowBatch batch = new ArrowBatch(TABLE);
            ArrowFeed feed = new ArrowFeed(connection, TABLE, stream -> "INSERT INTO t SELECT "
                    + CaptureDatabase.selectList(TABLE.columns()) + " FROM " + stream);
            Map<String, Object> all = new HashMap<>();
            all.put("n", -5L);
            all.put("i", 7);
            all.put("h", new BigInteger("18446744073709551615"));
            all.put("s", "caf\u00e9 \udcff"); // é, then a byte that was not UTF-8
            all.put("b", true);
            all.put("raw", new byte[] {0, 1, (byte) 0xff});
            all.put("words", List.of("ls", "", "-la"));
            all.put("nums", List.of(1L, -2L));
            Map<String, Object> misfits = Map.of("n", "not a number", "b", 1, "raw", "text", "nums", 3L, "h", "x");
            Map<String, Object> empty = Map.of("s", "", "words", List.of(), "nums", List.of());
            List<Map<String, Object>> rows = List.of(all, Map.of(), misfits, empty);
            for (int round = 0; round < 3; round++) { // rounds 2 and 3 seal into blocks that came back
                for (int i = 0; i < rows.size(); i++) {
                    int pid = round * 10 + i;
                    EventHeader header = new EventHeader(0, pid, pid, -1, 0, 0, "comm\udc80");
                    DecodedEvent.Payload payload = i == 0 ? new DecodedEvent.Payload(new byte[] {9, 8}, 100, true) : null;
                    batch.add(new DecodedRecord(pid, Instant.ofEpochSecond(1_700_000_000L, pid), "t",
                            new Event(header, rows.get(i), payload), ""), "host-a");
                }
                feed.send(batch.seal());
                Thread.sleep(200); // let DuckDB read and release it
            }
            feed.finish();
            batch.close();
            assertThat(feed.rows()).isEqualTo(12);

            try (ResultSet result = statement.executeQuery("SELECT seq, time, host, pid, uid, comm, summary, n, i, h, s, b,"
                    + " raw, words, nums, payload, payload_len, truncated FROM t WHERE pid >= 20 ORDER BY pid")) {
                List<List<Object>> got = new ArrayList<>();
                while (result.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int c = 1; c <= 18; c++) {
                        Object value = result.getObject(c);
                        row.add(value instanceof java.sql.Array array ? List.of((Object[]) array.getArray())
                                : value instanceof java.sql.Blob blob ? List.of(blob.getBytes(1, (int) blob.length())) : value);
                    }
                    got.add(row);
                }
                assertThat(got).hasSize(4);
                List<Object> first = got.get(0);
                assertThat(first.get(0)).isEqualTo(20L);
                assertThat(first.get(1).toString()).startsWith("2023-11-14");
                assertThat(first.subList(2, 8)).containsExactly("host-a", 20, 4294967295L, "comm\ufffd", "summary of 20", -5L);
                assertThat(first.subList(8, 12)).containsExactly(7, new BigInteger("18446744073709551615"), "caf\u00e9 \ufffd", true);
                assertThat((byte[]) ((List<?>) first.get(12)).get(0)).containsExactly(0, 1, 0xff);
                assertThat(first.get(13)).isEqualTo(List.of("ls", "", "-la"));
                assertThat(first.get(14)).isEqualTo(List.of(1L, -2L));
                assertThat((byte[]) ((List<?>) first.get(15)).get(0)).containsExactly(9, 8);
                assertThat(first.subList(16, 18)).containsExactly(100L, true);
                for (List<Object> nulls : got.subList(1, 3)) { // nothing, and values that do not fit their columns
                    assertThat(nulls.subList(7, 18)).containsOnlyNulls();
                }
                List<Object> emptyRow = got.get(3);
                assertThat(emptyRow.get(10)).isEqualTo("");
                assertThat(emptyRow.get(13)).isEqualTo(List.of());
                assertThat(emptyRow.get(14)).isEqualTo(List.of());
            }
            try (ResultSet types = statement.executeQuery("SELECT typeof(time), typeof(h), count(*) FROM t GROUP BY ALL")) {
                types.next();
                assertThat(types.getString(1)).isEqualTo("TIMESTAMP_NS");
                assertThat(types.getString(2)).isEqualTo("HUGEINT");
                assertThat(types.getLong(3)).isEqualTo(12);
            }
        }
    }

    @Test
    void aFailedStatementDropsTheBatchesAndSaysWhy() throws Exception {
        try (Connection plain = DriverManager.getConnection("jdbc:duckdb:")) {
            ArrowBatch batch = new ArrowBatch(TABLE);
            ArrowFeed feed = new ArrowFeed(plain.unwrap(DuckDBConnection.class), TABLE,
                    stream -> "INSERT INTO no_such_table SELECT * FROM " + stream);
            for (int i = 0; i < 3; i++) {
                batch.add(new DecodedRecord(i, Instant.EPOCH, "t", new Event(new EventHeader(0, 1, 1, 0, 0, 0, "c"), Map.of(), null)),
                        "h");
                feed.send(batch.seal()); // never waits for a reader that has stopped
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(feed::finish)
                    .isInstanceOf(java.sql.SQLException.class).hasMessageContaining("no_such_table");
            batch.close();
        }
    }
}
