package io.bpfscope.sql;

import io.bpfscope.export.CsvExporter;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/** Query values ({@link CaptureDatabase.Rows}) as text and as CSV rows, for the command line and the window alike. */
public final class ResultCells {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS");

    private ResultCells() {
    }

    /** A value as text: times as {@code 2026-11-25 10:43:27.209278122} (UTC), bytes as base64, lists space-separated. */
    public static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof LocalDateTime time) {
            return TIME.format(time);
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ResultCells::text).collect(Collectors.joining(" "));
        }
        return value.toString();
    }

    /**
     * One CSV line (RFC 4180, CRLF) as the CSV export writes it: numbers and base64 as they are,
     * text that a spreadsheet would run as a formula made inert with a leading {@code '}.
     */
    public static String csvLine(List<?> values) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            String cell = value instanceof Number || value instanceof byte[] ? text(value) : CsvExporter.inert(text(value));
            line.append(i == 0 ? "" : ",").append(CsvExporter.quote(cell));
        }
        return line.append("\r\n").toString();
    }
}
