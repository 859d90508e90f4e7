package io.bpfscope.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CSV columns, their order and RFC 4180 quoting; and CSV injection: text a
 * traced process chose (its comm, argv, paths) must not
 * become a live formula in a spreadsheet, and numbers must stay numbers.
 */
class CsvExporterTest {
    record TestEvent(EventHeader header, Map<String, Object> fields, Payload payload) implements DecodedEvent {
        TestEvent(EventHeader header, Map<String, Object> fields) {
            this(header, fields, null);
        }

        @Override
        public String summary() {
            return "test";
        }
    }

    private static DecodedRecord record(long seq, String probe, Map<String, Object> fields, DecodedEvent.Payload payload) {
        EventHeader header = new EventHeader(1_000_000L, 1234, 1235, 1000, 1, 0, "curl");
        return new DecodedRecord(seq, Instant.parse("2026-11-25T09:43:27.000000123Z"), probe,
                new TestEvent(header, fields, payload));
    }

    private static String exportAll(List<DecodedRecord> records) throws Exception {
        List<String> columns = new ArrayList<>();
        records.forEach(r -> CsvExporter.columnsOf(r.event(), columns));
        StringWriter out = new StringWriter();
        try (CsvExporter csv = new CsvExporter(out, columns)) {
            for (DecodedRecord r : records) {
                csv.write(r);
            }
        }
        return out.toString();
    }

    @Test
    void theColumnsAreTheCommonOnesThenEveryProbeFieldInFirstSeenOrderThenThePayload() throws Exception {
        Map<String, Object> exec = new LinkedHashMap<>();
        exec.put("filename", "/bin/ls");
        exec.put("retval", 0);
        exec.put("pid", 99); // a probe field named like a common column is not a second column
        Map<String, Object> open = new LinkedHashMap<>();
        open.put("path", "/etc/hosts");
        open.put("retval", 3);
        open.put("truncated", true); // nor like a payload column

        List<List<String>> rows = parse(exportAll(List.of(record(1, "exec", exec, null), record(2, "open", open, null))));

        assertThat(rows.get(0)).containsExactly("seq", "time", "probe", "pid", "tid", "comm",
                "filename", "retval", "path", "payload", "payload_len", "truncated");
        assertThat(rows.get(1)).containsExactly("1", "2026-11-25T09:43:27.000000123Z", "exec", "1234", "1235", "curl",
                "/bin/ls", "0", "", "", "", "");
        assertThat(rows.get(2)).containsExactly("2", "2026-11-25T09:43:27.000000123Z", "open", "1234", "1235", "curl",
                "", "3", "/etc/hosts", "", "", "");
        assertThat(rows).hasSize(3);
    }

    @Test
    void thePayloadIsBase64WithItsLengthBeforeTheCutAndWhetherItWasCut() throws Exception {
        byte[] bytes = "GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        DecodedRecord cut = record(7, "tls", Map.of("len", 16), new DecodedEvent.Payload(bytes, 4096, true));

        List<String> row = parse(exportAll(List.of(cut))).get(1);

        assertThat(row.subList(6, 10)).containsExactly("16", "R0VUIC8gSFRUUC8xLjENCg==", "4096", "true");
    }

    @Test
    void listsAreJoinedWithSpacesBytesAreBase64AndBooleansAreWords() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("argv", List.of("ls", "-la", "/tmp"));
        fields.put("raw", new byte[] {0, (byte) 0xff, 0x41});
        fields.put("ok", false);

        List<String> row = parse(exportAll(List.of(record(1, "exec", fields, null)))).get(1);

        assertThat(row.subList(6, 9)).containsExactly("ls -la /tmp", "AP9B", "false");
    }

    @Test
    void aCellWithACommaAQuoteOrALineBreakIsQuotedAndReadsBackWhole() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("a", "x,y");
        fields.put("b", "say \"hi\"");
        fields.put("c", "line1\nline2");
        fields.put("d", "plain");

        String csv = exportAll(List.of(record(1, "exec", fields, null)));

        assertThat(csv.split("\r\n", 2)[1]).isEqualTo(
                "1,2026-11-25T09:43:27.000000123Z,exec,1234,1235,curl,\"x,y\",\"say \"\"hi\"\"\",\"line1\nline2\",plain,,,\r\n");
        assertThat(parse(csv).get(1).subList(6, 10)).containsExactly("x,y", "say \"hi\"", "line1\nline2", "plain");
    }

    @Test
    void formulaTriggersInTextGetALeadingQuote() throws Exception {
        List<String> hostile = List.of("=HYPERLINK(\"http://x\",\"y\")", "@SUM(1+1)", "+1", "-cmd", "\tx", "\rx");
        for (String text : hostile) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("filename", text);
            fields.put("argv", List.of(text, "b"));
            List<String> row = exportOne(text, fields).get(1);

            assertThat(row.get(5)).as("comm %s", text).isEqualTo("'" + text);
            assertThat(row.get(6)).as("filename %s", text).isEqualTo("'" + text);
            assertThat(row.get(7)).as("argv %s", text).isEqualTo("'" + text + " b");
        }
    }

    @Test
    void cellsAreQuotedAsRfc4180() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("filename", "=HYPERLINK(\"http://x\",\"y\")");
        String csv = export("ssh", fields);

        assertThat(csv.split("\r\n")[1]).endsWith(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",,,");
    }

    @Test
    void numbersStayNumbersEvenWhenNegative() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("retval", -5);
        fields.put("offset", -1500L);
        fields.put("ratio", -1.5e3);
        fields.put("text_number", "-5"); // text that looks like a number is still text from the process
        List<String> row = exportOne("ssh", fields).get(1);

        assertThat(row.subList(6, 10)).containsExactly("-5", "-1500", "-1500.0", "'-5");
        assertThat(row.get(3)).isEqualTo("1234"); // pid
    }

    @Test
    void plainTextIsLeftAlone() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("filename", "/usr/bin/curl");
        fields.put("argv", List.of("curl", "-s", "https://example.com"));
        List<String> row = exportOne("curl", fields).get(1);

        assertThat(row.subList(5, 8)).containsExactly("curl", "/usr/bin/curl", "curl -s https://example.com");
    }

    @Test
    void bytesThatWereNotUtf8ShowAsReplacementCharacters() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("filename", "/tmp/\udc80x"); // as CStrings keeps a stray continuation byte
        List<String> row = exportOne("caf\udcff", fields).get(1);

        assertThat(row.subList(5, 7)).containsExactly("caf\ufffd", "/tmp/\ufffdx");
    }

    private static List<List<String>> exportOne(String comm, Map<String, Object> fields) throws Exception {
        return parse(export(comm, fields));
    }

    private static String export(String comm, Map<String, Object> fields) throws Exception {
        EventHeader header = new EventHeader(1_000_000L, 1234, 1235, 1000, 1, 0, comm);
        DecodedRecord record = new DecodedRecord(1, Instant.parse("2026-11-25T09:43:27.500Z"), "exec",
                new TestEvent(header, fields));
        List<String> columns = new ArrayList<>();
        CsvExporter.columnsOf(record.event(), columns);
        StringWriter out = new StringWriter();
        try (CsvExporter csv = new CsvExporter(out, columns)) {
            csv.write(record);
        }
        return out.toString();
    }

    /** A strict RFC 4180 reader: quoted cells may hold commas, quotes (doubled) and line breaks. */
    private static List<List<String>> parse(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        while (i < csv.length()) {
            char c = csv.charAt(i);
            if (c == '"' && cell.length() == 0) {
                i++;
                while (true) {
                    char q = csv.charAt(i++);
                    if (q == '"' && i < csv.length() && csv.charAt(i) == '"') {
                        cell.append('"');
                        i++;
                    } else if (q == '"') {
                        break;
                    } else {
                        cell.append(q);
                    }
                }
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
                i++;
            } else if (c == '\r' && csv.startsWith("\r\n", i)) {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i += 2;
            } else {
                cell.append(c);
                i++;
            }
        }
        return rows;
    }
}
