package io.bpfscope.filter;

import static io.bpfscope.filter.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.bpfscope.capture.store.DecodedRecord;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad filters fail to compile with one line that names the column and what was expected; nothing else escapes. */
class FilterErrorTest {
    private static FilterException error(String text) {
        try {
            Filter.compile(text, FieldCatalog.probeFieldNames(), ZoneOffset.UTC);
        } catch (FilterException e) {
            return e;
        }
        throw new AssertionError("compiled: " + text);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " :: ", quoteCharacter = '`', textBlock = """
            probe == :: 9 :: expected a value after '==', found the end of the filter
            pdi == 1 :: 1 :: unknown field 'pdi' (did you mean pid?)
            comn contains x :: 1 :: unknown field 'comn' (did you mean comm?)
            tim > 10:00 :: 1 :: unknown field 'tim' (did you mean time?)
            xyzzy :: 1 :: unknown field 'xyzzy'
            pid == "abc" :: 8 :: expected a number for pid, found "abc"
            pid contains 3 :: 5 :: 'contains' does not apply to pid, a number; expected ==, !=, <, <=, >, >= or in
            time matches x :: 6 :: 'matches' does not apply to time, a time; expected ==, !=, <, <=, >, >= or in
            (pid == 1 :: 10 :: expected '&&', '||' or ')' to close '(' at column 1, found the end of the filter
            pid == 1 && :: 12 :: expected a field after '&&', found the end of the filter
            pid == 1 pid == 2 :: 10 :: expected '&&', '||' or the end of the filter, found 'pid'
            pid == 1) :: 9 :: expected '&&', '||' or the end of the filter, found ')' without a '(' before it
            pid 3 :: 5 :: expected an operator (==, !=, <, <=, >, >=, contains, matches, in) after 'pid', found '3'
            pid in {1 2 :: 12 :: expected '}' to close '{' at column 8, found the end of the filter
            pid in 3 :: 8 :: expected '{' after 'in', found '3'
            pid in {5..1} :: 9 :: expected a range from low to high, found 5..1, which is empty
            pid = 3 :: 5 :: expected '==', found '='
            pid & 1 :: 5 :: expected '&&', found '&'
            comm == "ssh :: 9 :: expected a closing '"' for the string that starts here, found the end of the filter
            time > 25:00 :: 8 :: expected a time (2026-11-25T10:43:27Z, 2026-11-25 10:43, 2026-11-25 or 10:43:27.5), found '25:00'
            () :: 2 :: expected a field after '(', found ')'
            && pid :: 1 :: expected a field, found '&&'
            "x" == 1 :: 1 :: expected a field, found "x"
            pid # 3 :: 5 :: expected a field, a value or an operator, found '#'
            uid == 1 and or :: 14 :: expected a field after 'and', found 'or'
            """)
    void namesTheColumnAndWhatWasExpected(String text, int column, String reason) {
        FilterException e = error(text);
        assertThat(e.getMessage()).isEqualTo("column " + column + ": " + reason);
        assertThat(e.column()).isEqualTo(column);
        assertThat(e.reason()).isEqualTo(reason);
    }

    @Test
    void moreMessages() {
        assertThat(error("comm matches \"(\"").getMessage())
                .isEqualTo("column 14: expected a regular expression, found \"(\": Unclosed group at index 1");
        assertThat(error("comm == \"a\\q\"").getMessage()).startsWith("column 11: expected an escape (");
        assertThat(error("comm == 'ssh'").getMessage())
                .isEqualTo("column 9: expected a string in double quotes (\"...\"), found a single quote");
        assertThat(error("pid == 99999999999999999999").getMessage()).isEqualTo(
                "column 8: expected a number for pid, found '99999999999999999999', which does not fit in 64 bits");
        assertThat(error("PID == 1").getMessage()).isEqualTo("column 1: unknown field 'PID' (did you mean pid?)");
        assertThat(error("pid == 1 && !").column()).isEqualTo(14);
    }

    @Test
    void typesOfFixedFieldsAreCheckedWhenCompiling() {
        for (String bad : List.of("pid == abc", "seq > 1.5", "uid in {a b}", "ppid < x", "len == ten", "tid == 10ms",
                "time == 3", "time < abc", "pid matches \"1\"", "len contains 4", "time in {10:00..x}")) {
            assertThatThrownBy(() -> Filter.compile(bad, FieldCatalog.probeFieldNames(), ZoneOffset.UTC))
                    .as(bad).isInstanceOf(FilterException.class);
        }
    }

    @Test
    void deepNestingIsAnErrorAndLongChainsAreFine() throws FilterException {
        assertThat(error("(".repeat(100_000)).getMessage())
                .isEqualTo("column 201: expected at most 200 nested parentheses and negations, found more");
        assertThat(error("!".repeat(100_000) + "pid").column()).isEqualTo(201);
        assertThat(Filter.compile("(".repeat(200) + "pid" + ")".repeat(200)).test(record().build())).isTrue();
        String chain = "pid == 1234 && ".repeat(50_000) + "comm == ssh" + " || pid == 1".repeat(50_000);
        assertThat(Filter.compile(chain).test(record().build())).isTrue();
    }

    @Test
    void garbageNeverThrowsAnythingButFilterException() {
        String[] pieces = {"pid", "comm", "path", "argv", "payload", "time", "len", "latency_ns", "saddr", "==", "!=",
            "<", "<=", ">", ">=", "=", "!", "&", "|", "&&", "||", "and", "or", "not", "in", "contains", "matches",
            "eq", "(", ")", "{", "}", ",", "..", ".", "\"", "\"a\\", "r\"", "\\x", "\\u12", "'", "1", "-1", "0x",
            "0xFF", "99999999999999999999", "1.5s", "10ms", "10:43", "25:99", "2026-11-25", "2026-13-40T10:00Z",
            "10.0.0.0/8", "::1", "fe80::/200", "48:54", "ab-", "[", "*", "(?", "µs", "\u00e9", "\t", " ", "", "#"};
        Random random = new Random(42);
        List<DecodedRecord> records = List.of(record().build(),
                record().field("path", "/x").field("argv", List.of("a", "b")).field("latency_ns", 5L)
                        .field("saddr", "10.0.0.1").payload("GET / HTTP/1.1").build());
        int compiled = 0;
        for (int i = 0; i < 30_000; i++) {
            StringBuilder text = new StringBuilder();
            int n = random.nextInt(8);
            for (int j = 0; j < n; j++) {
                if (random.nextInt(6) == 0) {
                    text.append((char) random.nextInt(128));
                } else {
                    text.append(pieces[random.nextInt(pieces.length)]);
                }
                if (random.nextBoolean()) {
                    text.append(' ');
                }
            }
            String filter = text.toString();
            try {
                Filter f = Filter.compile(filter, FieldCatalog.probeFieldNames(), ZoneOffset.UTC);
                for (DecodedRecord r : records) {
                    f.test(r);
                }
                compiled++;
            } catch (FilterException e) {
                assertThat(e.column()).as(filter).isBetween(1, filter.length() + 1);
                assertThat(e.getMessage()).as(filter).startsWith("column " + e.column() + ": ").doesNotContain("\n");
            } catch (RuntimeException | StackOverflowError e) {
                fail("'" + filter + "' threw " + e, e);
            }
        }
        assertThat(compiled).as("some garbage is a filter").isGreaterThan(100);
    }
}
