package io.bpfscope.filter;

import static io.bpfscope.filter.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bench.FilterBenchmark;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.exec.ExecEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What filters mean: every operator and literal, on fixed fields, probe fields, lists and payloads. */
class FilterTest {
    /** Paris is UTC+1 in November: the test records' 09:43:27.5Z reads 10:43:27.5 there. */
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Set<String> KNOWN = known();

    private static Set<String> known() {
        Set<String> names = new HashSet<>(FieldCatalog.probeFieldNames());
        names.addAll(List.of("flag", "count", "ratio", "addr", "state"));
        return names;
    }

    private static Filter filter(String text) throws FilterException {
        return Filter.compile(text, KNOWN, PARIS);
    }

    private static boolean passes(String text, DecodedRecord r) throws FilterException {
        return filter(text).test(r);
    }

    private static final DecodedRecord SSH = record().pid(1234).tid(1240).uid(1000).comm("ssh").seq(42).probe("exec")
            .build();

    @Test
    void numbersCompareWithEveryOperator() throws FilterException {
        assertThat(passes("pid == 1234", SSH)).isTrue();
        assertThat(passes("pid == 1235", SSH)).isFalse();
        assertThat(passes("pid != 1235", SSH)).isTrue();
        assertThat(passes("pid != 1234", SSH)).isFalse();
        assertThat(passes("pid < 1235", SSH)).isTrue();
        assertThat(passes("pid < 1234", SSH)).isFalse();
        assertThat(passes("pid <= 1234", SSH)).isTrue();
        assertThat(passes("pid <= 1233", SSH)).isFalse();
        assertThat(passes("pid > 1233", SSH)).isTrue();
        assertThat(passes("pid > 1234", SSH)).isFalse();
        assertThat(passes("pid >= 1234", SSH)).isTrue();
        assertThat(passes("pid >= 1235", SSH)).isFalse();
        assertThat(passes("pid eq 1234 and pid ne 1 and pid lt 2000 and pid le 1234 and pid gt 1 and pid ge 1234",
                SSH)).isTrue();
        assertThat(passes("pid==1234&&tid==1240", SSH)).isTrue();
        assertThat(passes("pid == 0x4D2", SSH)).isTrue();
        assertThat(passes("pid == 0x4d2", SSH)).isTrue();
        assertThat(passes("pid == \"1234\"", SSH)).isTrue();
        assertThat(passes("uid == 1000 && seq == 42 && tid == 1240", SSH)).isTrue();
        assertThat(passes("pid > -1", SSH)).isTrue();
    }

    @Test
    void textComparesAsText() throws FilterException {
        assertThat(passes("comm == ssh", SSH)).isTrue();
        assertThat(passes("comm == \"ssh\"", SSH)).isTrue();
        assertThat(passes("comm == SSH", SSH)).isFalse();
        assertThat(passes("comm != bash", SSH)).isTrue();
        assertThat(passes("comm < t && comm > s && comm >= ssh && comm <= ssh", SSH)).isTrue();
        assertThat(passes("comm contains sh", SSH)).isTrue();
        assertThat(passes("comm contains \"ss\"", SSH)).isTrue();
        assertThat(passes("comm contains x", SSH)).isFalse();
        assertThat(passes("probe == exec", SSH)).isTrue();
        assertThat(passes("probe != exec", SSH)).isFalse();
    }

    @Test
    void matchesFindsARegularExpressionCaseSensitively() throws FilterException {
        assertThat(passes("comm matches \"^s+h$\"", SSH)).isTrue();
        assertThat(passes("comm matches \"s{3}\"", SSH)).isFalse();
        assertThat(passes("comm matches \"SH\"", SSH)).isFalse();
        assertThat(passes("comm matches \"(?i)SH\"", SSH)).isTrue();
        assertThat(passes("comm matches sh", SSH)).isTrue();
        DecodedRecord open = record().field("path", "/etc/ld.so.cache").build();
        assertThat(passes("path matches r\"\\.so\\.\"", open)).isTrue();
        assertThat(passes("path matches \"\\\\.so\\\\.\"", open)).isTrue();
        assertThat(passes("path matches \"^/usr\"", open)).isFalse();
    }

    @Test
    void notAndParenthesesAndPrecedence() throws FilterException {
        // a || b && c is a || (b && c): true here, where (a || b) && c would be false
        assertThat(passes("pid == 1234 || pid == 1 && comm == nope", SSH)).isTrue();
        assertThat(passes("(pid == 1234 || pid == 1) && comm == nope", SSH)).isFalse();
        assertThat(passes("pid == 1 && comm == nope || comm == ssh", SSH)).isTrue();
        assertThat(passes("!pid == 1234", SSH)).isFalse();
        assertThat(passes("!pid == 1 && comm == ssh", SSH)).isTrue();
        assertThat(passes("!(pid == 1 || comm == ssh)", SSH)).isFalse();
        assertThat(passes("not (pid == 1) and not comm == bash", SSH)).isTrue();
        assertThat(passes("!!(pid == 1234)", SSH)).isTrue();
        assertThat(passes("pid == 1 or comm == ssh", SSH)).isTrue();
        assertThat(passes("((((pid == 1234))))", SSH)).isTrue();
    }

    @Test
    void inTakesSetsAndRanges() throws FilterException {
        assertThat(passes("pid in {1 2 1234}", SSH)).isTrue();
        assertThat(passes("pid in {1, 2, 3}", SSH)).isFalse();
        assertThat(passes("pid in {1000..2000}", SSH)).isTrue();
        assertThat(passes("pid in {1234..1234}", SSH)).isTrue();
        assertThat(passes("pid in {1235..2000, 1..1233}", SSH)).isFalse();
        assertThat(passes("pid in {}", SSH)).isFalse();
        assertThat(passes("comm in {bash ssh zsh}", SSH)).isTrue();
        assertThat(passes("comm in {\"bash\", \"zsh\"}", SSH)).isFalse();
        assertThat(passes("comm in {a..t}", SSH)).isTrue();
        DecodedRecord tcp = record().field("dport", 8443).build();
        assertThat(passes("dport in {80 443 8000..8999}", tcp)).isTrue();
        assertThat(passes("dport in {80 443}", tcp)).isFalse();
        assertThat(passes("!(dport in {80 443})", tcp)).isTrue();
    }

    @Test
    void probeFieldsTakeTheirTypeFromTheValue() throws FilterException {
        DecodedRecord r = record().field("sport", 51234).field("count", 5_000_000_000L).field("flag", true)
                .field("error", "ENOENT").field("mode", "0640").field("conn", "0x7f00aa").field("ratio", 0.5)
                .field("state", Thread.State.RUNNABLE).build();
        assertThat(passes("sport == 51234 && sport > 50000 && sport != 1", r)).isTrue();
        assertThat(passes("sport == \"51234\"", r)).isTrue();
        assertThat(passes("count > 0xFFFFFFFF", r)).isTrue();
        assertThat(passes("flag == true && flag != false", r)).isTrue();
        assertThat(passes("flag == false", r)).isFalse();
        assertThat(passes("flag == 1", r)).isFalse();
        assertThat(passes("error == ENOENT && error contains NOENT && error matches \"^E\"", r)).isTrue();
        assertThat(passes("mode == 0640", r)).isTrue();
        assertThat(passes("conn == 0x7f00aa", r)).isTrue();
        assertThat(passes("ratio < 1 && ratio > 0", r)).isTrue();
        assertThat(passes("state == RUNNABLE", r)).isTrue();
        assertThat(passes("sport contains 5", r)).isFalse();
        assertThat(passes("sport == abc", r)).isFalse();
    }

    @Test
    void aMissingFieldFailsEveryComparisonButNotItsNegation() throws FilterException {
        DecodedRecord withPath = record().field("path", "/etc/passwd").build();
        DecodedRecord without = record().build();
        assertThat(passes("path", withPath)).isTrue();
        assertThat(passes("path", without)).isFalse();
        assertThat(passes("!path", without)).isTrue();
        assertThat(passes("not path", withPath)).isFalse();
        assertThat(passes("path == \"/etc/passwd\"", withPath)).isTrue();
        assertThat(passes("path == /etc/passwd", withPath)).isTrue();
        for (String comparison : List.of("path == /x", "path != /x", "path < z", "path contains e", "path matches .",
                "path in {a b}", "ppid > 0", "ppid != 1", "len >= 0", "payload contains 00:00")) {
            assertThat(passes(comparison, without)).as(comparison).isFalse();
        }
        assertThat(passes("!(path == /x)", without)).isTrue();
        Map<String, Object> nullValue = new HashMap<>(); // tcp's oldstate on a first state change
        nullValue.put("oldstate", null);
        DecodedRecord tcp = new DecodedRecord(1, Instant.EPOCH, "tcp", new TestRecords.TestEvent(
                new EventHeader(1, 2, 2, 0, 1, 0, "curl"), nullValue, null));
        assertThat(passes("oldstate", tcp)).isFalse();
        assertThat(passes("oldstate != CLOSE", tcp)).isFalse();
        assertThat(passes("pid && comm && probe && time && seq && tid && uid", without)).isTrue();
        assertThat(passes("ppid || len || payload", without)).isFalse();
    }

    @Test
    void listsPassWhenAnyElementDoes() throws FilterException {
        ExecEvent exec = new ExecEvent(new EventHeader(1, 4000, 4000, 0, 1, 0, "ls"), 3999, 0, "/usr/bin/ls",
                List.of("ls", "-la", "/tmp"), false, false);
        DecodedRecord r = new DecodedRecord(7, Instant.EPOCH, "exec", exec);
        assertThat(passes("argv contains \"-la\"", r)).isTrue();
        assertThat(passes("argv contains tmp", r)).isTrue();
        assertThat(passes("argv == ls && argv == /tmp", r)).isTrue();
        assertThat(passes("argv == -l", r)).isFalse();
        assertThat(passes("argv != -l", r)).isTrue();
        assertThat(passes("argv != ls", r)).isFalse(); // != means no element equals
        assertThat(passes("argv matches \"^-l\"", r)).isTrue();
        assertThat(passes("argv in {/tmp /var}", r)).isTrue();
        assertThat(passes("ppid == 3999 && filename == /usr/bin/ls && !error && args_truncated == false", r))
                .isTrue();
        DecodedRecord empty = record().field("argv", List.of()).build();
        assertThat(passes("argv", empty)).isTrue();
        assertThat(passes("argv contains x", empty)).isFalse();
    }

    @Test
    void payloadContainsBytesOrText() throws FilterException {
        DecodedRecord http = record().payload("GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n").build();
        assertThat(passes("payload", http)).isTrue();
        assertThat(passes("payload contains 48:54:54:50", http)).isTrue();
        assertThat(passes("payload contains 48-54-54-50", http)).isTrue();
        assertThat(passes("payload contains \"HTTP/1.1\"", http)).isTrue();
        assertThat(passes("payload contains HTTP", http)).isTrue();
        assertThat(passes("payload contains \"HTTP/2\"", http)).isFalse();
        assertThat(passes("payload contains 0d:0a:0d:0a", http)).isTrue();
        assertThat(passes("payload contains \"\\r\\n\\r\\n\"", http)).isTrue();
        assertThat(passes("payload contains \"48:54\"", http)).isFalse(); // quoted: text, not bytes
        assertThat(passes("payload matches \"^GET /\\\\S+ HTTP\"", http)).isTrue();
        assertThat(passes("payload matches \"(?i)^get\"", http)).isTrue();
        assertThat(passes("payload matches \"^get\"", http)).isFalse();
        assertThat(passes("payload == 47:45:54", http)).isFalse();
        assertThat(passes("payload > 47:45:54", http)).isTrue();

        byte[] binary = {0x16, 0x03, 0x01, (byte) 0xff, 0x00, (byte) 0xe9};
        DecodedRecord tls = record().payload(binary, 100).build();
        assertThat(passes("payload contains ff:00", tls)).isTrue();
        assertThat(passes("payload contains \"\\xff\\x00\"", tls)).isTrue();
        assertThat(passes("payload contains 00:ff", tls)).isFalse();
        assertThat(passes("payload == 16:03:01:ff:00:e9", tls)).isTrue();
        assertThat(passes("payload matches \"\\xff\\x00\\xe9$\"", tls)).isTrue();
        assertThat(passes("payload matches \"^\\x16\\x03[\\x00-\\x04]\"", tls)).isTrue();
    }

    @Test
    void lenIsThePayloadLengthElseTheLenField() throws FilterException {
        DecodedRecord cut = record().payload(new byte[64], 5000).field("len", 64).build();
        assertThat(passes("len == 5000", cut)).isTrue();
        assertThat(passes("len > 1000 && len < 0x2000", cut)).isTrue();
        DecodedRecord noPayload = record().field("len", 42L).build();
        assertThat(passes("len == 42", noPayload)).isTrue();
        assertThat(passes("len in {40..50}", noPayload)).isTrue();
        assertThat(passes("len", record().build())).isFalse();
    }

    @Test
    void addressesCompareByValue() throws FilterException {
        DecodedRecord v4 = record().field("saddr", "127.0.0.1").field("daddr", "10.1.2.3").build();
        assertThat(passes("saddr == 127.0.0.1", v4)).isTrue();
        assertThat(passes("saddr == 127.0.0.01", v4)).isTrue();
        assertThat(passes("saddr == 127.0.1", v4)).isFalse(); // not an address: compared as text
        assertThat(passes("saddr contains 127.0 && saddr matches \"^127\\\\.\"", v4)).isTrue();
        assertThat(passes("saddr == ::ffff:127.0.0.1", v4)).isTrue();
        assertThat(passes("saddr != 127.0.0.2", v4)).isTrue();
        assertThat(passes("daddr == 10.0.0.0/8 && daddr in {192.168.0.0/16 10.0.0.0/8}", v4)).isTrue();
        assertThat(passes("daddr in {10.1.2.0/25}", v4)).isTrue();
        assertThat(passes("daddr in {10.1.2.128/25}", v4)).isFalse();
        assertThat(passes("daddr in {10.1.2.1..10.1.2.9}", v4)).isTrue();
        assertThat(passes("daddr > 9.255.255.255 && daddr < 10.1.2.4", v4)).isTrue();
        assertThat(passes("daddr > 10.0.0.0/8", v4)).isFalse();
        assertThat(passes("daddr <= 10.0.0.0/8", v4)).isTrue();
        assertThat(passes("saddr == ::1", v4)).isFalse();

        DecodedRecord v6 = record().field("saddr", "fe80::1").field("daddr", "2001:db8::5").build();
        assertThat(passes("saddr == fe80:0:0:0:0:0:0:1", v6)).isTrue();
        assertThat(passes("saddr == \"fe80::1\"", v6)).isTrue();
        assertThat(passes("daddr in {2001:db8::/32}", v6)).isTrue();
        assertThat(passes("daddr == 2001:db9::/32", v6)).isFalse();
        assertThat(passes("saddr == 127.0.0.1", v6)).isFalse();

        DecodedRecord dns = record().field("server", "8.8.8.8:53").field("client", "[fe80::2]:40000").build();
        assertThat(passes("server == 8.8.8.8 && server == \"8.8.8.8:53\" && server != 8.8.4.4", dns)).isTrue();
        assertThat(passes("client == fe80::2 && client in {fe80::/10}", dns)).isTrue();

        DecodedRecord raw = record().field("addr", new byte[] {(byte) 192, (byte) 168, 1, 1}).build();
        assertThat(passes("addr == 192.168.1.1 && addr in {192.168.0.0/16}", raw)).isTrue();
        assertThat(passes("addr == c0:a8:01:01", raw)).isTrue();
    }

    @Test
    void durationsCountForNanosecondFields() throws FilterException {
        DecodedRecord slow = record().field("latency_ns", 15_000_000L).field("sport", 10).build();
        assertThat(passes("latency_ns > 10ms", slow)).isTrue();
        assertThat(passes("latency_ns == 15ms && latency_ns == 15000us && latency_ns == 15000000ns", slow)).isTrue();
        assertThat(passes("latency_ns < 0.015s", slow)).isFalse();
        assertThat(passes("latency_ns < 1.5s && latency_ns < 1m && latency_ns < 1h", slow)).isTrue();
        assertThat(passes("latency_ns in {10ms..20ms}", slow)).isTrue();
        assertThat(passes("latency_ns > 14999999", slow)).isTrue();
        assertThat(passes("sport < 10ms", slow)).isFalse(); // durations only mean nanoseconds on *_ns fields
    }

    @Test
    void timesAreWallClockInTheGivenZone() throws FilterException {
        DecodedRecord r = record().time("2026-11-25T09:43:27.500Z").build(); // 10:43:27.5 in Paris
        assertThat(passes("time == 10:43:27", r)).isTrue(); // the whole second
        assertThat(passes("time == 10:43", r)).isTrue(); // the whole minute
        assertThat(passes("time == 10:43:27.5", r)).isTrue();
        assertThat(passes("time == 10:43:27.6", r)).isFalse();
        assertThat(passes("time == 10:43:28", r)).isFalse();
        assertThat(passes("time != 10:43:28", r)).isTrue();
        assertThat(passes("time > 10:43:26 && time >= 10:43:27 && time <= 10:43:27 && time < 10:43:28", r)).isTrue();
        assertThat(passes("time > 10:43:27", r)).isFalse();
        assertThat(passes("time < 10:43:27", r)).isFalse();
        assertThat(passes("time > 9:00 && time < 11:00", r)).isTrue();
        assertThat(passes("time in {10:00..10:59}", r)).isTrue();
        assertThat(passes("time in {10:44..12:00 08:00}", r)).isFalse();

        assertThat(passes("time >= \"2026-11-25T09:00:00Z\"", r)).isTrue();
        assertThat(passes("time >= 2026-11-25T09:43:28Z", r)).isFalse();
        assertThat(passes("time == \"2026-11-25T10:43:27\"", r)).isTrue(); // no offset: Paris
        assertThat(passes("time == \"2026-11-25 10:43:27.5\"", r)).isTrue();
        assertThat(passes("time == 2026-11-25T10:43:27+01:00", r)).isTrue();
        assertThat(passes("time == 2026-11-25T10:43:27+00:00", r)).isFalse();
        assertThat(passes("time == 2026-11-25", r)).isTrue();
        assertThat(passes("time > 2026-11-24 && time < 2026-11-26", r)).isTrue();
        assertThat(passes("time in {2026-11-01..2026-11-30}", r)).isTrue();

        Filter utc = Filter.compile("time == 09:43:27", KNOWN, ZoneOffset.UTC);
        assertThat(utc.test(r)).isTrue();
        Filter tokyo = Filter.compile("time == 18:43:27", KNOWN, ZoneId.of("Asia/Tokyo"));
        assertThat(tokyo.test(r)).isTrue();
        // a time of day is the time of day on any date, summer time included (Paris is UTC+2 in July)
        assertThat(passes("time == 10:43:27", record().time("2026-07-01T08:43:27Z").build())).isTrue();
    }

    @Test
    void knownFieldsComeFromTheCaller() throws FilterException {
        Filter custom = Filter.compile("widget == 3", Set.of("widget"), ZoneOffset.UTC);
        assertThat(custom.test(record().field("widget", 3).build())).isTrue();
        assertThat(Filter.compile("path", FieldCatalog.probeFieldNames(), ZoneOffset.UTC).test(record().build()))
                .isFalse();
        assertThat(Filter.compile("pid == 1234").test(SSH)).isTrue();
    }

    @Test
    void emptyTextIsAll() throws FilterException {
        assertThat(Filter.compile("")).isSameAs(Filter.ALL);
        assertThat(Filter.compile("  \t")).isSameAs(Filter.ALL);
        assertThat(Filter.ALL.test(SSH)).isTrue();
        assertThat(Filter.ALL.text()).isEmpty();
        assertThat(Filter.ALL.passesEverything()).isTrue();
        Filter f = filter(" pid == 1 ");
        assertThat(f.text()).isEqualTo(" pid == 1 ");
        assertThat(f.toString()).isEqualTo(" pid == 1 ");
        assertThat(f.passesEverything()).isFalse();
    }

    @Test
    void oneFilterServesManyThreads() throws FilterException {
        Filter f = filter("pid in {100..199} && comm contains a && path matches \"^/x\"");
        List<DecodedRecord> records = IntStream.range(0, 6_000)
                .mapToObj(i -> record().pid(i % 300).comm(i % 2 == 0 ? "bash" : "ssh").field("path", "/x/" + i)
                        .build())
                .toList();
        long sequential = records.stream().filter(f).count();
        long expected = IntStream.range(0, 6_000).filter(i -> i % 300 >= 100 && i % 300 < 200 && i % 2 == 0).count();
        assertThat(sequential).isEqualTo(expected);
        assertThat(records.parallelStream().filter(f).count()).isEqualTo(sequential);
    }

    @Test
    void hostIsTheRecordsHost() throws FilterException {
        DecodedRecord onDb = new DecodedRecord(SSH.seq(), SSH.time(), SSH.probe(), SSH.event(), "db1");
        assertThat(passes("host == \"db1\"", onDb)).isTrue();
        assertThat(passes("host == \"db1\"", SSH)).isFalse();
        assertThat(passes("host in {\"web1\" \"db1\"} && comm == \"ssh\"", onDb)).isTrue();
        assertThat(passes("host contains \"db\"", onDb)).isTrue();
    }

    @Test
    void theCatalogListsTheFixedFieldsWithTypes() {
        assertThat(FieldCatalog.fixedFields()).extracting(FieldCatalog.Field::name)
                .containsExactly("probe", "seq", "time", "pid", "tid", "ppid", "uid", "comm", "host", "stream", "len", "payload");
        assertThat(FieldCatalog.fixedField("pid").orElseThrow().type()).isEqualTo(FieldCatalog.Type.NUMBER);
        assertThat(FieldCatalog.fixedField("time").orElseThrow().type()).isEqualTo(FieldCatalog.Type.TIME);
        assertThat(FieldCatalog.fixedField("payload").orElseThrow().type()).isEqualTo(FieldCatalog.Type.BYTES);
        assertThat(FieldCatalog.fixedField("path")).isEmpty();
        assertThat(FieldCatalog.probeFieldNames()).contains("path", "saddr", "daddr", "sport", "dport", "direction",
                "len", "error", "filename", "argv", "latency_ns");
    }

    @Test
    void theBenchmarkRunsEveryFilter() {
        String figures = FilterBenchmark.run(2000);
        assertThat(figures.lines()).hasSize(6);
        assertThat(figures).contains("pid == 1234 && comm contains \"ssh\"").contains("ns/event");
    }
}
