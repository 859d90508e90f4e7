package io.bpfscope.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bpfscope.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes a process used that are not UTF-8 (a Latin-1 file name, a stray
 * continuation byte) survive a JSON Lines export: the text field shows U+FFFD,
 * and {@code <field>_b64} gives back the exact bytes.
 */
class JsonLinesRawBytesTest {
    private static final byte[] COMM = {'c', 'a', 'f', (byte) 0xe9, (byte) 0xff};              // Latin-1 é, 0xff
    private static final byte[] FILENAME = {'/', 't', 'm', 'p', '/', (byte) 0x80, 'x'};        // a lone continuation byte
    private static final byte[] ARG = {'-', (byte) 0xc3};                                     // a cut two-byte sequence
    private static final byte[] PATH = {'/', 'e', 't', 'c', '/', (byte) 0xbf, (byte) 0xbf, (byte) 0xfe};

    @TempDir
    Path dir;

    @Test
    void bytesThatAreNotUtf8CanBeRecoveredFromTheJson() throws Exception {
        List<JsonObject> events = export(new HostileCapture()
                .exec(COMM, FILENAME, "ok".getBytes(UTF_8), ARG)
                .open(COMM, PATH));

        JsonObject exec = events.get(0);
        assertThat(exec.get("comm").getAsString()).isEqualTo("caf\ufffd\ufffd");
        assertThat(decode(exec.get("comm_b64").getAsString())).isEqualTo(COMM);
        assertThat(exec.get("filename").getAsString()).isEqualTo("/tmp/\ufffdx");
        assertThat(decode(exec.get("filename_b64").getAsString())).isEqualTo(FILENAME);
        JsonArray argv = exec.get("argv_b64").getAsJsonArray();
        assertThat(exec.get("argv").getAsJsonArray().get(1).getAsString()).isEqualTo("-\ufffd");
        assertThat(decode(argv.get(0).getAsString())).isEqualTo("ok".getBytes(UTF_8)); // one entry per item
        assertThat(decode(argv.get(1).getAsString())).isEqualTo(ARG);

        JsonObject open = events.get(1);
        assertThat(decode(open.get("path_b64").getAsString())).isEqualTo(PATH);
        assertThat(decode(open.get("comm_b64").getAsString())).isEqualTo(COMM);
    }

    @Test
    void validUtf8HasNoB64Twin() throws Exception {
        JsonObject exec = export(new HostileCapture().exec("zoë".getBytes(UTF_8), "/tmp/файл\ufffd".getBytes(UTF_8),
                "😀".getBytes(UTF_8))).get(0);

        assertThat(exec.get("comm").getAsString()).isEqualTo("zoë");
        assertThat(exec.get("filename").getAsString()).isEqualTo("/tmp/файл\ufffd");
        assertThat(exec.keySet()).noneMatch(key -> key.endsWith("_b64"));
    }

    private List<JsonObject> export(HostileCapture capture) throws Exception {
        Path input = capture.writeTo(dir.resolve("raw.bscap"));
        Path output = dir.resolve("raw.jsonl");
        assertThat(Main.run("export", input.toString(), "--format", "jsonl", "-o", output.toString())).isZero();
        return Files.readAllLines(output, UTF_8).stream().map(line -> JsonParser.parseString(line).getAsJsonObject()).toList();
    }

    private static byte[] decode(String base64) {
        return Base64.getDecoder().decode(base64);
    }
}
