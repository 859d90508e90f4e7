package io.bpfscope.sql;

import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.capture.store.RecordDecoder;
import io.bpfscope.probes.CStrings;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.MalformedEventException;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Appends decoded events to their probe's table through DuckDB's appender:
 * one {@link Worker} per loading thread, with its own connection and one
 * appender per table. Text is written as {@link CStrings#replaced} shows it
 * (DuckDB's VARCHAR is UTF-8; the exact bytes of odd names stay in JSON Lines).
 */
final class TableAppender {
    private TableAppender() {
    }

    /** Finds or makes the table of a probe. */
    @FunctionalInterface
    interface Tables {
        ProbeTable tableFor(String probe, CaptureHeader header) throws SQLException;
    }

    /** Events appended and events that could not be decoded (with the first reason). */
    static final class Tally {
        long appended;
        long undecodable;
        String firstUndecodable;

        void add(Tally other) {
            appended += other.appended;
            undecodable += other.undecodable;
            firstUndecodable = firstUndecodable == null ? other.firstUndecodable : firstUndecodable;
        }
    }

    /** One loading thread's connection and appenders. Used by that thread only, then closed by the loader. */
    static final class Worker implements AutoCloseable {
        private final DuckDBConnection connection;
        private final Tables tables;
        private final Map<String, Open> appenders = new HashMap<>();

        /** A table's appender, with the table it fills. */
        private record Open(ProbeTable table, DuckDBAppender appender) {
        }

        Worker(DuckDBConnection shared, Tables tables) {
            try {
                this.connection = (DuckDBConnection) shared.duplicate();
                // One transaction per worker, committed at the end: the appender flushes every 2,048 rows,
                // and under auto-commit each flush was a commit of its own (most of the load's time).
                this.connection.setAutoCommit(false);
            } catch (SQLException e) {
                throw new IllegalStateException("DuckDB: " + CaptureDatabase.oneLine(e.getMessage()), e);
            }
            this.tables = tables;
        }

        Tally append(List<RawRecord> records, RecordDecoder decoder, Supplier<CaptureHeader> header, String host,
                     Predicate<DecodedRecord> keep) throws SQLException {
            Tally tally = new Tally();
            for (RawRecord raw : records) {
                DecodedRecord record;
                try {
                    record = decoder.decode(raw);
                } catch (MalformedEventException e) {
                    tally.undecodable++;
                    tally.firstUndecodable = tally.firstUndecodable == null ? e.getMessage() : tally.firstUndecodable;
                    continue;
                }
                if (!keep.test(record)) {
                    continue;
                }
                Open open = appenders.get(record.probe());
                if (open == null) {
                    ProbeTable table = tables.tableFor(record.probe(), header.get());
                    connection.commit(); // a transaction sees only the tables that were there when it began
                    open = new Open(table, connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table.name()));
                    appenders.put(record.probe(), open);
                }
                appendRow(open, record, host);
                tally.appended++;
            }
            return tally;
        }

        private static void appendRow(Open open, DecodedRecord record, String host) throws SQLException {
            DuckDBAppender row = open.appender;
            DecodedEvent event = record.event();
            EventHeader header = event.header();
            Instant time = record.time();
            row.beginRow()
                    .append(record.seq())
                    .appendEpochNanos(time.getEpochSecond() * 1_000_000_000L + time.getNano())
                    .append(record.host().isEmpty() ? host : record.host()) // a merged capture names each probe's host
                    .append(header.pid())
                    .append(header.tid())
                    .append(Integer.toUnsignedLong(header.uid()))
                    .append(CStrings.replaced(header.comm()))
                    .append(CStrings.replaced(event.summary()));
            Map<String, Object> fields = event.fields();
            for (ProbeTable.Column column : open.table.fields()) {
                appendValue(row, column.type(), fields.get(column.name()));
            }
            DecodedEvent.Payload payload = event.payload();
            if (payload == null) {
                row.appendNull().appendNull().appendNull();
            } else {
                row.append(payload.bytes()).append(payload.originalLength()).append(payload.truncated());
            }
            row.endRow();
        }

        @Override
        public void close() throws java.sql.SQLException {
            SQLException first = null;
            for (Open open : appenders.values()) {
                try {
                    open.appender.close(); // flushes what is left
                } catch (SQLException e) {
                    first = first == null ? e : first;
                }
            }
            if (first == null) {
                connection.commit();
            }
            connection.close();
            if (first != null) {
                throw first;
            }
        }
    }

    /** One field's value in its column's type; NULL when the event lacks it or it does not fit. */
    static void appendValue(DuckDBAppender row, ProbeTable.SqlType type, Object value) throws SQLException {
        if (value == null) {
            row.appendNull();
            return;
        }
        switch (type) {
            case BIGINT:
            case INTEGER:
                if (value instanceof Number number) {
                    if (type == ProbeTable.SqlType.INTEGER) {
                        row.append(number.intValue());
                    } else {
                        row.append(number.longValue());
                    }
                } else {
                    row.appendNull();
                }
                return;
            case HUGEINT:
                if (value instanceof BigInteger big) {
                    row.append(big);
                } else if (value instanceof Number number) {
                    row.append(BigInteger.valueOf(number.longValue()));
                } else {
                    row.appendNull();
                }
                return;
            case BOOLEAN:
                if (value instanceof Boolean flag) {
                    row.append(flag.booleanValue());
                } else {
                    row.appendNull();
                }
                return;
            case BLOB:
                if (value instanceof byte[] bytes) {
                    row.append(bytes);
                } else {
                    row.appendNull();
                }
                return;
            case VARCHAR_LIST: {
                List<String> texts = new ArrayList<>();
                if (value instanceof Collection<?> items) {
                    items.forEach(item -> texts.add(CStrings.replaced(String.valueOf(item))));
                } else {
                    texts.add(CStrings.replaced(String.valueOf(value)));
                }
                row.append(texts);
                return;
            }
            case BIGINT_LIST: {
                if (value instanceof Collection<?> items) {
                    long[] numbers = new long[items.size()];
                    int i = 0;
                    for (Object item : items) {
                        numbers[i++] = item instanceof Number n ? n.longValue() : 0;
                    }
                    row.append(numbers);
                } else {
                    row.appendNull();
                }
                return;
            }
            default:
                row.append(text(value));
        }
    }

    private static String text(Object value) {
        if (value instanceof Collection<?> items) {
            return String.join(" ", items.stream().map(item -> CStrings.replaced(String.valueOf(item))).toList());
        }
        if (value instanceof byte[] bytes) {
            return java.util.HexFormat.of().formatHex(bytes);
        }
        return CStrings.replaced(value.toString());
    }
}
