package io.bpfscope.cli;

import io.bpfscope.bridge.sys.LibC;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.store.Conversations;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.capture.store.RecordDecoder;
import io.bpfscope.export.JsonLinesExporter;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.MalformedEventException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bpfscope follow FILE --stream ID [--hex]}: one conversation, both directions, in order. */
@Command(name = "follow", mixinStandardHelpOptions = true,
        description = "Print one conversation (tls, unix, tcp), both directions; without --stream, list the conversations.")
public final class FollowCommand implements Callable<Integer> {
    private static final String SENT_COLOR = "\u001b[31m";
    private static final String RECEIVED_COLOR = "\u001b[34m";
    private static final String RESET = "\u001b[0m";

    @Parameters(index = "0", paramLabel = "FILE", description = "The capture (.bscap), or - for stdin.")
    String input;

    @Option(names = "--stream", paramLabel = "ID", description = "The conversation: its key from the list, or a conn / sock id.")
    String stream;

    @Option(names = "--hex", description = "Show payloads as a hex dump instead of text.")
    boolean hex;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        boolean color = LibC.INSTANCE.isatty(1) == 1;
        Map<String, long[]> streams = new LinkedHashMap<>(); // key -> events, bytes sent, bytes received
        Map<String, String> ends = new LinkedHashMap<>(); // key -> its TCP connection's ends, where an event named them
        long shown = 0;
        try (CaptureSource source = CaptureSource.of(input, false); CaptureReader reader = source.open()) {
            RecordDecoder decoder = new RecordDecoder(reader::header);
            Undecodable undecodable = new Undecodable();
            for (RawRecord raw = reader.next(); raw != null; raw = reader.next()) {
                DecodedRecord record;
                try {
                    record = decoder.decode(raw);
                } catch (MalformedEventException e) {
                    undecodable.add(e);
                    continue;
                }
                String key = Conversations.key(record).orElse(null);
                if (key == null) {
                    continue;
                }
                DecodedEvent.Payload payload = record.event().payload();
                long[] totals = streams.computeIfAbsent(key, k -> new long[3]);
                connection(record.event()).ifPresent(c -> ends.putIfAbsent(key, c));
                totals[0]++;
                Conversations.Side side = Conversations.side(record);
                if (payload != null) {
                    totals[side == Conversations.Side.RECEIVED ? 2 : 1] += payload.originalLength();
                }
                if (stream != null && Conversations.matches(key, stream)) {
                    print(out, record, side, payload, color);
                    shown++;
                }
            }
            if (stream == null) {
                out.printf("%-60s %8s %12s %12s  %s%n", "conversation", "events", "bytes sent", "received", "connection");
                streams.forEach((key, t) -> out.printf("%-60s %8d %12d %12d  %s%n", TerminalText.escape(key), t[0], t[1], t[2],
                        TerminalText.escape(ends.getOrDefault(key, ""))));
                out.println("follow one with: bpfscope follow " + input + " --stream KEY");
            } else if (shown == 0) {
                throw new UserError(ExitCodes.INPUT, "no conversation '" + stream + "' in " + input
                        + "; list them with: bpfscope follow " + input);
            }
            undecodable.report();
            if (reader.problem().isPresent()) {
                System.err.println("bpfscope: " + TerminalText.escape(reader.problem().get()));
                return ExitCodes.PARTIAL;
            }
        }
        return ExitCodes.OK;
    }

    /**
     * {@code saddr:sport -> daddr:dport} of an event that names its connection (tcp, tls, a jsse socket),
     * {@code ? -> daddr:dport} of one that knows only its peer (a jsse engine), else empty.
     */
    private static java.util.Optional<String> connection(DecodedEvent event) {
        Map<String, Object> f = event.fields();
        if (f.get("daddr") == null || f.get("dport") == null) {
            return java.util.Optional.empty();
        }
        String local = f.get("saddr") == null || f.get("sport") == null ? "?" : hostPort(f.get("saddr"), f.get("sport"));
        return java.util.Optional.of(local + " -> " + hostPort(f.get("daddr"), f.get("dport")));
    }

    private static String hostPort(Object address, Object port) {
        String host = address.toString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private void print(PrintStream out, DecodedRecord record, Conversations.Side side, DecodedEvent.Payload payload,
                       boolean color) {
        String arrow = side == Conversations.Side.RECEIVED ? "<<" : side == Conversations.Side.SENT ? ">>" : "--";
        String start = !color ? "" : side == Conversations.Side.RECEIVED ? RECEIVED_COLOR : SENT_COLOR;
        out.printf("%s%s %s %s[%d] %s%s%n", start, arrow, JsonLinesExporter.formatTime(record.time()).substring(11, 26),
                TerminalText.escape(record.event().header().comm()), record.event().header().pid(),
                TerminalText.escape(record.event().summary()), color ? RESET : "");
        if (payload == null || payload.bytes().length == 0) {
            return;
        }
        out.print(start);
        if (hex) {
            out.print(HexDump.format(payload.bytes()));
        } else {
            out.print(payloadText(payload.bytes()));
            out.println();
        }
        if (payload.truncated()) {
            out.printf("[cut: %d of %d bytes captured]%n", payload.bytes().length, payload.originalLength());
        }
        out.print(color ? RESET : "");
    }

    /**
     * A payload as text, byte by byte (Latin-1), with a dot for each control byte: C0 but the line breaks
     * and tabs, DEL, C1 (0x80..0x9f, which some terminals take as ESC sequences) and a CR that does not
     * end a line, which would let the payload overwrite what was printed before it.
     */
    static String payloadText(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean lineEnd = b == '\n' || b == '\t' || b == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n';
            text.append(b < 0x20 && !lineEnd || b >= 0x7f && b <= 0x9f ? '.' : (char) b);
        }
        return text.toString();
    }
}
