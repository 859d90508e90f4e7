package io.bpfscope.filter;

import static io.bpfscope.filter.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.capture.store.DecodedRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/filters.md, read from the doc itself: every filter in
 * its code blocks and every inline {@code field op value} compiles; every
 * line of its Errors block fails with exactly the message the doc shows; and
 * where a block says what a filter matches, it matches that.
 */
class FilterDocTest {
    private static final Path DOC = Path.of("..", "docs", "filters.md"); // tests run in app/
    /** Paris is UTC+1 in November: the doc's 10:43 is 09:43Z. */
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Pattern INLINE_FILTER = Pattern.compile(
            "^!?\\(?[a-z_]+ (==|!=|<=?|>=?|eq|ne|lt|le|gt|ge|contains|matches|in) .+");

    /** One code block of the doc, with the heading it is under. */
    record Block(String heading, String language, List<String> lines) {
    }

    /** A line of a block: the filter, and what the doc says beside it (after two or more spaces), or "". */
    record Example(String filter, String said) {
        static Example of(String line) {
            String[] parts = line.trim().split("\\s{2,}", 2);
            return new Example(parts[0], parts.length > 1 ? parts[1] : "");
        }
    }

    private static String doc() throws IOException {
        return Files.readString(DOC, StandardCharsets.UTF_8);
    }

    private static List<Block> blocks() throws IOException {
        List<Block> blocks = new ArrayList<>();
        String heading = "";
        List<String> lines = null;
        String language = "";
        for (String line : doc().split("\n", -1)) {
            if (line.startsWith("```")) {
                if (lines == null) {
                    language = line.substring(3).trim();
                    lines = new ArrayList<>();
                } else {
                    blocks.add(new Block(heading, language, lines));
                    lines = null;
                }
            } else if (lines != null) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            } else if (line.startsWith("#")) {
                heading = line.replaceFirst("^#+\\s*", "");
            }
        }
        return blocks;
    }

    private static List<Example> examplesUnder(String heading) throws IOException {
        List<Example> examples = blocks().stream().filter(b -> b.heading().equals(heading) && b.language().isEmpty())
                .flatMap(b -> b.lines().stream()).map(Example::of).toList();
        assertThat(examples).as("docs/filters.md has a code block under '%s'", heading).isNotEmpty();
        return examples;
    }

    private static Set<String> known() {
        Set<String> names = new HashSet<>(FieldCatalog.probeFieldNames());
        // The Values table names count and truncated; the precedence example a placeholder, x.
        names.addAll(List.of("count", "truncated", "x"));
        return names;
    }

    private static Filter compile(String text) throws FilterException {
        return Filter.compile(text, known(), PARIS);
    }

    @Test
    void everyFilterInTheCodeBlocksCompilesButTheErrors() throws Exception {
        List<String> compiled = new ArrayList<>();
        for (Block block : blocks()) {
            if (!block.language().isEmpty() || block.heading().equals("Errors")) {
                continue;
            }
            for (String line : block.lines()) {
                String filter = Example.of(line).filter();
                assertThat(compile(filter).text()).as(filter).isEqualTo(filter);
                compiled.add(filter);
            }
        }
        assertThat(compiled).as("the opening examples, the missing-field and the payload blocks").hasSizeGreaterThan(10)
                .contains("pid == 1234 && comm contains \"ssh\"");
    }

    @Test
    void everyInlineFilterInTheProseCompiles() throws Exception {
        String prose = doc().replaceAll("(?s)```.*?```", "");
        Matcher span = Pattern.compile("`([^`]+)`").matcher(prose);
        List<String> compiled = new ArrayList<>();
        while (span.find()) {
            String text = span.group(1).replaceAll("\\s*\n\\s*", " ");
            if (INLINE_FILTER.matcher(text).matches()) {
                assertThat(compile(text).text()).as(text).isEqualTo(text);
                compiled.add(text);
            }
        }
        assertThat(compiled).as("inline filters such as `argv contains \"-la\"`").hasSizeGreaterThan(15)
                .contains("latency_ns in {1ms..5ms}", "server == 8.8.8.8");
    }

    @Test
    void everyValueInTheValuesTableCompilesOnAFieldOfItsKind() throws Exception {
        // The field each kind of value is tried on; a row of another kind fails here until it is added.
        Map<String, String> fieldOfKind = Map.of("integers", "count ==", "words", "comm ==", "strings", "comm ==",
                "raw strings", "comm matches", "true/false", "", "bytes", "payload contains", "addresses", "daddr ==",
                "durations", "latency_ns >", "times", "time >=");
        Matcher row = Pattern.compile("(?m)^\\| ([a-z/ ]+) \\| (.+) \\|$").matcher(doc());
        Set<String> kinds = new HashSet<>();
        while (row.find()) {
            String kind = row.group(1);
            if (!fieldOfKind.containsKey(kind)) {
                continue; // another table
            }
            kinds.add(kind);
            Matcher value = Pattern.compile("`([^`]+)`").matcher(row.group(2));
            while (value.find()) {
                String text = fieldOfKind.get(kind).isEmpty() ? value.group(1) : fieldOfKind.get(kind) + " " + value.group(1);
                if (kind.equals("words") && value.group(1).contains(" ")
                        || kind.equals("strings") && !value.group(1).startsWith("\"")) {
                    continue; // the lists of the characters a word may hold and of a string's escapes
                }
                assertThat(compile(text).text()).as(text).isEqualTo(text);
            }
        }
        assertThat(kinds).isEqualTo(fieldOfKind.keySet());
    }

    @Test
    void everyErrorFailsWithTheMessageTheDocShows() throws Exception {
        for (Example example : examplesUnder("Errors")) {
            assertThat(example.said()).as("an error line says the message: %s", example.filter()).startsWith("column ");
            assertThatThrownBy(() -> Filter.compile(example.filter(), FieldCatalog.probeFieldNames(), PARIS))
                    .as(example.filter()).isInstanceOf(FilterException.class).hasMessage(example.said());
        }
    }

    @Test
    void theMissingFieldExamplesMatchWhatTheDocSays() throws Exception {
        DecodedRecord tmpX = record().probe("open").field("path", "/tmp/x").build();
        DecodedRecord etc = record().probe("open").field("path", "/etc/hosts").build();
        DecodedRecord exec = record().probe("exec").field("filename", "/bin/ls").build();
        // What each description means, as records it passes and records it does not.
        Map<String, List<List<DecodedRecord>>> meanings = Map.of(
                "events that have a path", List.of(List.of(tmpX, etc), List.of(exec)),
                "events that don't", List.of(List.of(exec), List.of(tmpX, etc)),
                "events whose path is not /tmp/x, and events without a path", List.of(List.of(etc, exec), List.of(tmpX)));
        List<Example> examples = examplesUnder("A field an event does not have");
        for (Example example : examples) {
            List<List<DecodedRecord>> meaning = meanings.get(example.said());
            assertThat(meaning).as("what '%s' means: add it to this test", example.said()).isNotNull();
            Filter filter = compile(example.filter());
            assertThat(meaning.get(0)).as("%s passes", example.filter()).allMatch(filter::test);
            assertThat(meaning.get(1)).as("%s fails", example.filter()).noneMatch(filter::test);
        }
        assertThat(examples).hasSize(meanings.size());
    }

    @Test
    void aPayloadExampleDescribedAsAQuotedStringMatchesThoseBytes() throws Exception {
        int checked = 0;
        for (Example example : examplesUnder("Payload")) {
            if (example.said().matches("\"[^\"]*\"")) {
                String text = example.said().substring(1, example.said().length() - 1);
                Filter filter = compile(example.filter());
                assertThat(filter.test(record().payload("xx" + text + "yy").build())).as(example.filter()).isTrue();
                assertThat(filter.test(record().payload("x" + text.substring(1)).build())).as(example.filter()).isFalse();
                checked++;
            }
        }
        assertThat(checked).as("`payload contains 48:54:54:50          \"HTTP\"`").isPositive();
    }

    @Test
    void theTimesTableMeansWhatItSays() throws Exception {
        // Each row of the doc's times table, and instants (Paris time) it says pass or fail.
        Map<String, List<List<String>>> rows = Map.of(
                "time == 10:43:27", List.of(List.of("10:43:27.000", "10:43:27.999"), List.of("10:43:26.999", "10:43:28.000")),
                "time == 10:43", List.of(List.of("10:43:00.000", "10:43:59.999"), List.of("10:42:59.999", "10:44:00.000")),
                "time >= 10:43", List.of(List.of("10:43:00.000", "23:00:00.000"), List.of("10:42:59.999")),
                "time > 10:43", List.of(List.of("10:44:00.000"), List.of("10:43:59.999")),
                "time <= 10:43", List.of(List.of("10:43:59.999", "01:00:00.000"), List.of("10:44:00.000")),
                "time in {10:00..10:30}", List.of(List.of("10:00:00.000", "10:30:59.999"), List.of("09:59:59.999", "10:31:00.000")),
                "time == 2026-11-25", List.of(List.of("00:00:00.000", "23:59:59.999"), List.of()));
        Matcher row = Pattern.compile("(?m)^\\| `(time [^`]+)` \\|").matcher(doc());
        int seen = 0;
        while (row.find()) {
            String text = row.group(1);
            List<List<String>> meaning = rows.get(text);
            assertThat(meaning).as("what the times table's '%s' means: add it to this test", text).isNotNull();
            Filter filter = compile(text);
            for (String passing : meaning.get(0)) {
                assertThat(filter.test(at(passing))).as("%s at %s", text, passing).isTrue();
            }
            for (String failing : meaning.get(1)) {
                assertThat(filter.test(at(failing))).as("%s at %s", text, failing).isFalse();
            }
            seen++;
        }
        assertThat(seen).isEqualTo(rows.size());
    }

    /** A record on 2026-11-25 at a Paris time of day (UTC+1 in November). */
    private static DecodedRecord at(String parisTime) {
        return record().time(java.time.LocalDateTime.parse("2026-11-25T" + parisTime).atZone(PARIS).toInstant().toString())
                .build();
    }
}
