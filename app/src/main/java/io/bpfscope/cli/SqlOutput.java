package io.bpfscope.cli;

import com.google.gson.stream.JsonWriter;
import io.bpfscope.sql.ResultCells;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How {@code bpfscope sql} prints rows: a text table (escaped for the
 * terminal, cells cut at {@link #CELL_WIDTH}), CSV (RFC 4180, formula
 * triggers made inert as the CSV export does; escaped too when stdout is a
 * terminal) or JSON Lines (control characters as JSON escapes). Values are those
 * {@code CaptureDatabase.Rows} hands over. Not thread-safe.
 */
abstract class SqlOutput {
    static final int CELL_WIDTH = 60;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'");

    protected final PrintStream out;
    protected List<String> columns = List.of();

    SqlOutput(PrintStream out) {
        this.out = out;
    }

    static SqlOutput of(String format, PrintStream out) throws UserError {
        switch (format.toLowerCase(Locale.ROOT)) {
            case "table": return new Table(out);
            case "csv": return new Csv(out);
            case "jsonl": return new JsonLines(out);
            default: throw new UserError(ExitCodes.USAGE, "unknown format '" + format + "': use table, csv or jsonl");
        }
    }

    void columns(List<String> names) throws IOException {
        columns = List.copyOf(names);
    }

    abstract void row(Object[] values) throws IOException;

    /** After the last row; {@code more} when rows were left out at the limit. */
    abstract void end(long rows, boolean more, long limit);

    static String text(Object value) {
        return ResultCells.text(value);
    }

    /** A text table: rows are held until the end to size the columns. */
    private static final class Table extends SqlOutput {
        private final List<String[]> rows = new ArrayList<>();

        Table(PrintStream out) {
            super(out);
        }

        @Override
        void row(Object[] values) {
            String[] cells = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                String cell = values[i] == null ? "NULL" : TerminalText.escape(text(values[i]));
                cells[i] = cell.length() > CELL_WIDTH ? cell.substring(0, CELL_WIDTH - 1) + "…" : cell;
            }
            rows.add(cells);
        }

        @Override
        void end(long count, boolean more, long limit) {
            int[] widths = new int[columns.size()];
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.min(CELL_WIDTH, TerminalText.escape(columns.get(i)).length());
                for (String[] row : rows) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(i == 0 ? "" : "  ").append(pad(TerminalText.escape(columns.get(i)), widths[i]));
            }
            out.println(line.toString().stripTrailing());
            line.setLength(0);
            for (int i = 0; i < widths.length; i++) {
                line.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
            }
            out.println(line);
            for (String[] row : rows) {
                line.setLength(0);
                for (int i = 0; i < widths.length; i++) {
                    line.append(i == 0 ? "" : "  ").append(pad(row[i], widths[i]));
                }
                out.println(line.toString().stripTrailing());
            }
            out.printf("(%,d row%s%s)%n", count, count == 1 ? "" : "s",
                    more ? "; more left out: --max-rows " + (limit * 10) + " shows more, or use LIMIT" : "");
        }

        private static String pad(String cell, int width) {
            return cell.length() >= width ? cell : cell + " ".repeat(width - cell.length());
        }
    }

    /** CSV as the CSV export writes it: numbers as they are, text with formula triggers made inert. */
    private static final class Csv extends SqlOutput {
        /** Redirected to a file, CSV is written as it is; on a terminal its control characters are made visible. */
        private final boolean terminal = System.console() != null;

        Csv(PrintStream out) {
            super(out);
        }

        @Override
        void columns(List<String> names) throws IOException {
            super.columns(names);
            print(ResultCells.csvLine(names));
        }

        @Override
        void row(Object[] values) {
            print(ResultCells.csvLine(java.util.Arrays.asList(values)));
        }

        private void print(String line) {
            out.print(terminal ? TerminalText.escapeKeepingLines(line) : line);
        }

        @Override
        void end(long rows, boolean more, long limit) {
            out.flush();
        }
    }

    /** One JSON object per row, with the column names as keys; times ISO-8601 UTC, bytes base64. */
    private static final class JsonLines extends SqlOutput {
        JsonLines(PrintStream out) {
            super(out);
        }

        @Override
        void row(Object[] values) throws IOException {
            CharArrayWriter line = new CharArrayWriter(256);
            JsonWriter json = new JsonWriter(line);
            json.setHtmlSafe(false);
            json.beginObject();
            for (int i = 0; i < values.length; i++) {
                json.name(columns.get(i));
                write(json, values[i]);
            }
            json.endObject();
            json.flush();
            out.print(line.append('\n'));
        }

        private static void write(JsonWriter json, Object value) throws IOException {
            if (value == null) {
                json.nullValue();
            } else if (value instanceof Boolean flag) {
                json.value(flag);
            } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                    || value instanceof BigInteger || value instanceof BigDecimal) {
                json.value((Number) value);
            } else if (value instanceof Number number) {
                double d = number.doubleValue();
                if (Double.isFinite(d)) {
                    json.value(d);
                } else {
                    json.value(Double.toString(d));
                }
            } else if (value instanceof LocalDateTime time) {
                json.value(ISO.format(time));
            } else if (value instanceof List<?> list) {
                json.beginArray();
                for (Object item : list) {
                    write(json, item);
                }
                json.endArray();
            } else {
                json.value(text(value));
            }
        }

        @Override
        void end(long rows, boolean more, long limit) {
            out.flush();
        }
    }
}
