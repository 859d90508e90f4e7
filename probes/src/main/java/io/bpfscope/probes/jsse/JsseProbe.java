package io.bpfscope.probes.jsse;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.BpfLink;
import io.bpfscope.bridge.BpfObject;
import io.bpfscope.probes.Availability;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.FieldSpec;
import io.bpfscope.probes.PacketFlow;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeDeclaration;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.RecordSink;
import io.bpfscope.probes.UserSpaceSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Java's own TLS (JSSE), which no uprobe sees: its plaintext lives in the JVM's heap and its code is
 * JIT-compiled. This probe loads a small Java agent into the chosen JVMs (HotSpot's attach protocol)
 * whose hooks on {@code SSLEngine.wrap/unwrap} and the SSLSocket streams send each call's plaintext
 * to the capture over a unix socket; the capture makes tls-like records of them. Nothing is loaded
 * into the kernel. See docs/probes/jsse.md. Immutable and thread-safe.
 */
public final class JsseProbe implements Probe {
    /** Its event kind; no BPF object sends it, the capture writes it into the header it gives each record. */
    public static final int KIND = 20;

    static final ProbeDeclaration DECLARATION = ProbeDeclaration.builder()
            .field(FieldSpec.text("direction", "write or read, from the JVM's side"))
            .field(FieldSpec.text("function", "the JSSE call: SSLEngine.wrap, SSLEngine.unwrap, SSLSocket.write, SSLSocket.read"))
            .field(FieldSpec.text("library", "jsse"))
            .field(FieldSpec.text("conn", "the SSLSocket's or SSLEngine's id in its JVM, as hex: one per connection"))
            .field(FieldSpec.number("len", "bytes", "bytes captured (at most the payload limit)"))
            .field(FieldSpec.number("payload_len", "bytes", "bytes the call moved"))
            .field(FieldSpec.flag("truncated", "the payload was cut at the capture limit"))
            .field(FieldSpec.text("saddr", "the socket's local address (SSLSocket only)"))
            .field(FieldSpec.number("sport", "the socket's local port (SSLSocket only)"))
            .field(FieldSpec.text("daddr", "the peer's address (an engine's only when its peer was given as an address)"))
            .field(FieldSpec.number("dport", "the peer's port"))
            .field(FieldSpec.text("addr_source", "where the ends come from: socket (the SSLSocket's own), peer (the"
                    + " SSLEngine's peer host and port, as its creator gave them)"))
            .color("#ef6c00", "#fdf3ea", "#33271d")
            .streamKey(event -> Optional.ofNullable(event.field("conn"))
                    .map(conn -> "jsse/" + event.header().pid() + "/" + conn), JsseProbe::streamFilter)
            .statistic(ProbeDeclaration.StatisticTable.HOSTS, event -> Optional.ofNullable(event.field("daddr"))
                    .map(address -> address + (event.field("dport") == null ? "" : ":" + event.field("dport"))))
            .packets(JsseProbe::packets)
            .build();

    private static final JsseDecoder DECODER = new JsseDecoder();
    static final String AGENT_RESOURCE = "/io/bpfscope/probes/jsse/jsse-agent.jar";

    /** {@code jsse/PID/CONN}: that JVM's connection. */
    private static String streamFilter(String key) {
        String[] parts = key.split("/");
        return "probe == jsse && pid == " + parts[1] + " && conn == \"" + parts[2] + "\"";
    }

    /**
     * As the tls probe: the plaintext as HTTP over a TCP stream, one per JVM and connection, between
     * the ends the agent knew (a socket's both, an engine's peer); an unknown end is made up.
     */
    private static Optional<PacketFlow> packets(DecodedEvent event) {
        if (!(event instanceof JsseEvent jsse)) {
            return Optional.empty();
        }
        PacketFlow.LocalEnds ends = jsse.sport() == 0 && jsse.dport() == 0 && jsse.remoteAddress() == null ? null
                : new PacketFlow.LocalEnds(new PacketFlow.Endpoint(jsse.localAddress(), jsse.sport()),
                        new PacketFlow.Endpoint(jsse.remoteAddress(), jsse.dport()));
        return Optional.of(new PacketFlow("jsse " + jsse.header().pid() + " " + jsse.connId(),
                PacketFlow.Transport.TCP, PacketFlow.ServerPort.HTTP, jsse.function().isWrite(), null,
                " conn=" + jsse.connId(),
                "direction=" + jsse.direction() + " conn=" + jsse.connId() + " function="
                        + jsse.function().shownName() + " library=jsse", null, ends));
    }

    @Override
    public String name() {
        return "jsse";
    }

    @Override
    public String description() {
        return "Java's TLS plaintext (SSLSocket, SSLEngine) by loading an agent into the chosen JVMs";
    }

    @Override
    public List<String> attachPoints() {
        return List.of("agent:sun.security.ssl.SSLEngineImpl.wrap", "agent:sun.security.ssl.SSLEngineImpl.unwrap",
                "agent:sun.security.ssl.SSLSocketImpl$AppOutputStream.write",
                "agent:sun.security.ssl.SSLSocketImpl$AppInputStream.read");
    }

    @Override
    public int kind() {
        return KIND;
    }

    @Override
    public EventDecoder decoder() {
        return DECODER;
    }

    @Override
    public ProbeDeclaration declaration() {
        return DECLARATION;
    }

    /** None: this probe loads nothing into the kernel. */
    @Override
    public String objectName() {
        return null;
    }

    @Override
    public boolean userSpace() {
        return true;
    }

    @Override
    public Availability availability() {
        if (JsseProbe.class.getResource(AGENT_RESOURCE) == null) {
            return Availability.no("the agent jar is missing from this build: rebuild with mvn package");
        }
        return Availability.yes();
    }

    @Override
    public UserSpaceSource startUserSpace(ProbeOptions options, int source, RecordSink sink, Consumer<String> warnings)
            throws BpfException {
        return JsseRecording.start(options, source, sink, agentJar(), warnings);
    }

    @Override
    public List<BpfLink> attach(BpfObject object, ProbeOptions options, Consumer<String> warnings) {
        throw new UnsupportedOperationException("jsse loads no BPF object");
    }

    static byte[] agentJar() {
        try (InputStream in = JsseProbe.class.getResourceAsStream(AGENT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + AGENT_RESOURCE + ": rebuild with mvn package");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
