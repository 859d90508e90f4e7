package io.bpfscope.probes.jsse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.MalformedEventException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JsseDecoder} against bodies made by the agent's own code (its {@code Recorder.frameBody},
 * loaded from the agent jar this build carries), so the writer in the JVM and the reader here
 * cannot drift apart; and against damaged records.
 */
class JsseDecoderTest {
    @TempDir
    static Path dir;

    /** The body the agent sends for one call on {@code key} (a socket or an engine). */
    private static byte[] agentBody(Object key, int function, long total, byte[] data) throws Exception {
        Path jar = dir.resolve("agent.jar");
        if (!Files.exists(jar)) {
            Files.write(jar, JsseProbe.agentJar());
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Class<?> recorder = loader.loadClass("io.bpfscope.jsse.agent.Recorder");
            Class<?> connection = loader.loadClass("io.bpfscope.jsse.agent.Recorder$Connection");
            Method of = connection.getDeclaredMethod("of", long.class, Object.class);
            of.setAccessible(true);
            Method frameBody = recorder.getDeclaredMethod("frameBody", connection, int.class, long.class, byte[].class,
                    int.class, int.class);
            frameBody.setAccessible(true);
            ByteBuffer body = (ByteBuffer) frameBody.invoke(null, of.invoke(null, 0x2aL, key), function, total, data, 0,
                    data.length);
            return body.array();
        }
    }

    /** The header the capture puts before the body. */
    private static byte[] record(byte[] body) {
        ByteBuffer record = ByteBuffer.allocate(EventHeader.SIZE + body.length).order(ByteOrder.LITTLE_ENDIAN);
        record.putLong(123_456_789L).putInt(4242).putInt(4250).putInt(1000)
                .putShort((short) JsseProbe.KIND).putShort((short) 9).put("java".getBytes(StandardCharsets.US_ASCII));
        record.position(EventHeader.SIZE);
        record.put(body);
        return record.array();
    }

    private static JsseEvent decode(byte[] record) throws MalformedEventException {
        return new JsseDecoder().decode(ByteBuffer.wrap(record), 0, record.length);
    }

    @Test
    void aSocketWriteAsTheAgentSendsIt() throws Exception {
        byte[] data = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            JsseEvent event = decode(record(agentBody(socket, 3, data.length, data)));

            assertThat(event.header().pid()).isEqualTo(4242);
            assertThat(event.header().comm()).isEqualTo("java");
            assertThat(event.fields()).containsExactly(
                    entry("direction", "write"), entry("function", "SSLSocket.write"), entry("library", "jsse"),
                    entry("conn", "0x2a"), entry("len", data.length), entry("payload_len", (long) data.length),
                    entry("truncated", false), entry("saddr", "127.0.0.1"), entry("sport", socket.getLocalPort()),
                    entry("daddr", "127.0.0.1"), entry("dport", server.getLocalPort()), entry("addr_source", "socket"));
            assertThat(event.summary()).isEqualTo("write SSLSocket.write 0x2a → 127.0.0.1:" + server.getLocalPort()
                    + " " + data.length + " B: GET / HTTP/1.1 …");
            assertThat(event.payload().bytes()).isEqualTo(data);
            assertThat(JsseProbe.DECLARATION.undeclaredFields(event, List.of())).isEmpty();
        }
    }

    @Test
    void anEngineKnowsOnlyItsPeerAndACutPayloadKeepsItsLength() throws Exception {
        javax.net.ssl.SSLEngine engine = javax.net.ssl.SSLContext.getDefault().createSSLEngine("::1", 8443);
        byte[] data = "HTTP/1.1 200 OK".getBytes(StandardCharsets.US_ASCII);
        JsseEvent event = decode(record(agentBody(engine, 2, 5000, data)));

        assertThat(event.function()).isEqualTo(JsseFunction.ENGINE_UNWRAP);
        assertThat(event.fields()).doesNotContainKeys("saddr", "sport")
                .containsEntry("daddr", "::1").containsEntry("dport", 8443).containsEntry("addr_source", "peer")
                .containsEntry("len", data.length).containsEntry("payload_len", 5000L).containsEntry("truncated", true);
        assertThat(event.summary()).isEqualTo("read SSLEngine.unwrap 0x2a ← [::1]:8443 5000 B (15 captured): HTTP/1.1 200 OK");

        JsseEvent named = decode(record(agentBody(
                javax.net.ssl.SSLContext.getDefault().createSSLEngine("example.org", 443), 1, 3, "abc".getBytes())));
        assertThat(named.fields()).doesNotContainKey("daddr").containsEntry("dport", 443);
    }

    @Test
    void damagedRecordsAreMalformed() throws Exception {
        byte[] good = record(agentBody(new Object(), 1, 3, "abc".getBytes(StandardCharsets.US_ASCII)));
        assertThat(decode(good).fields()).doesNotContainKeys("saddr", "daddr", "dport", "addr_source");

        assertThatThrownBy(() -> decode(java.util.Arrays.copyOf(good, 99))).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> decode(java.util.Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(MalformedEventException.class);
        byte[] unknownFunction = good.clone();
        unknownFunction[60] = 9;
        assertThatThrownBy(() -> decode(unknownFunction)).hasMessageContaining("unknown function 9");
        byte[] moreCapturedThanMoved = good.clone();
        moreCapturedThanMoved[48] = 1;
        assertThatThrownBy(() -> decode(moreCapturedThanMoved)).hasMessageContaining("captured");
        byte[] hugeLength = good.clone();
        hugeLength[59] = (byte) 0x7f;
        assertThatThrownBy(() -> decode(hugeLength)).isInstanceOf(MalformedEventException.class);
        byte[] badFamily = good.clone();
        badFamily[62] = 7;
        assertThatThrownBy(() -> decode(badFamily)).hasMessageContaining("family");
    }
}
