package io.bpfscope.capture.helper;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the window and the capture helper say to each other, and nothing more.
 *
 * <p>Window to helper: one JSON object per line, at most {@link #MAX_LINE} bytes:
 * <pre>
 * {"op":"start","id":1}                      begin a capture stream: its header comes at once
 * {"op":"attach","id":1,"probe":"exec","options":{"pid":0,"tid":0,"uid":-1,"comm":"","maxPayload":32768,"libraries":[],
 *                                                "includeSelf":false}}   true: bpfscope's own processes too
 * {"op":"attach","id":2,"probe":"uprobe:/usr/bin/x:f","parameters":{"buffer_arg":"1","length_arg":"2",...},...}
 * {"op":"detach","id":3,"source":2}
 * {"op":"query","id":5,"what":"tracepoints"}   also "tracepoint-format:GROUP:NAME", "probe:NAME" (see HostFacts)
 * {"op":"stop","id":4}                       detach everything, end the stream with its END block
 * </pre>
 * Helper to window: the capture format itself ({@code .bscap}, as {@code record -o -} writes it), with
 * the answers to commands as REPLY blocks ({@link io.bpfscope.capture.file.CaptureFormat#BLOCK_REPLY}):
 * {@code {"id":1,"ok":true,"source":3,"warnings":[]}} or
 * {@code {"id":1,"ok":false,"error":"attach ...: EPERM — ...","details":"the verifier's log"}}.
 * A probe's PROBE block always comes before its first record and before its REPLY.
 *
 * <p>The helper runs as root and parses only this: every field is checked here, a bad line is
 * answered with an error and changes nothing.
 */
public final class HelperProtocol {
    /** No command is longer: a longer line is refused unread. */
    public static final int MAX_LINE = 64 * 1024;
    private static final int MAX_LIBRARIES = 64;
    private static final Gson GSON = new Gson();
    private static final java.lang.reflect.Type ROWS =
            new com.google.gson.reflect.TypeToken<List<Map<String, Object>>>() { }.getType();

    private HelperProtocol() {
    }

    /** The options of an attach, as the window chose them; {@code includeSelf} absent is false. */
    public record Options(int pid, int tid, int uid, String comm, int maxPayload, List<String> libraries,
                          boolean includeSelf) {
        static Options of(ProbeOptions options) {
            return new Options(options.pid(), options.tid(), options.uid(), options.comm(), options.maxPayload(),
                    options.libraries().stream().map(Path::toString).toList(), options.includeSelf());
        }
    }

    /** One command; which fields matter depends on {@code op}. */
    public record Command(String op, long id, String probe, Options options, Map<String, String> parameters, int source,
                          String what) {
        public static Command attach(long id, Probe probe, ProbeOptions options) {
            return new Command("attach", id, probe.name(), Options.of(options), probe.parameters(), 0, null);
        }

        public static Command start(long id) {
            return new Command("start", id, null, null, null, 0, null);
        }

        public static Command detach(long id, int source) {
            return new Command("detach", id, null, null, null, source, null);
        }

        public static Command stop(long id) {
            return new Command("stop", id, null, null, null, 0, null);
        }

        public static Command query(long id, String what) {
            return new Command("query", id, null, null, null, 0, what);
        }

        /** The line to send, newline included. */
        public byte[] line() {
            return (GSON.toJson(this) + "\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The answer to command {@code id}. */
    public record Reply(long id, boolean ok, int source, List<String> warnings, String error, String details, String data) {
        public Reply {
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
        }

        public static Reply attached(long id, int source, List<String> warnings) {
            return new Reply(id, true, source, warnings, null, null, null);
        }

        public static Reply done(long id) {
            return new Reply(id, true, 0, List.of(), null, null, null);
        }

        public static Reply answer(long id, String data) {
            return new Reply(id, true, 0, List.of(), null, null, data);
        }

        /** Something a probe says after its attach (a JVM jsse could not trace): answers no command. */
        public static Reply notice(String text) {
            return new Reply(0, true, 0, List.of(text), null, null, null);
        }

        public static Reply failed(long id, String error, String details) {
            return new Reply(id, false, 0, List.of(), error, details, null);
        }

        public byte[] json() {
            return GSON.toJson(this).getBytes(StandardCharsets.UTF_8);
        }

        /** Reads a REPLY block's payload. */
        public static Reply parse(byte[] json) {
            Reply reply = GSON.fromJson(new String(json, StandardCharsets.UTF_8), Reply.class);
            if (reply == null) {
                throw new JsonParseException("an empty reply");
            }
            return reply;
        }
    }

    /** A command line that makes no sense; the helper answers it with the message and goes on. */
    public static final class BadCommand extends Exception {
        private static final long serialVersionUID = 1L;
        private final long id;

        BadCommand(long id, String message) {
            super(message);
            this.id = id;
        }

        public long id() {
            return id;
        }
    }

    /** Parses and checks one line from the window. */
    public static Command parse(String line) throws BadCommand {
        Command command;
        try {
            command = GSON.fromJson(line, Command.class);
        } catch (RuntimeException e) { // whatever the line holds, the helper answers and goes on
            throw new BadCommand(0, "not a command: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (command == null || command.op() == null) {
            throw new BadCommand(0, "not a command: no op");
        }
        switch (command.op()) {
            case "attach":
                if (command.probe() == null || command.options() == null) {
                    throw new BadCommand(command.id(), "attach needs a probe and its options");
                }
                return command;
            case "detach":
                if (command.source() <= 0) {
                    throw new BadCommand(command.id(), "detach needs the source id of an attached probe");
                }
                return command;
            case "query":
                if (command.what() == null) {
                    throw new BadCommand(command.id(), "query needs what to ask");
                }
                return command;
            case "start":
            case "stop":
                return command;
            default:
                throw new BadCommand(command.id(), "unknown op '" + command.op() + "'");
        }
    }

    /** Answers a query from {@code facts}; the answer is JSON text. */
    public static String answer(Command command, HostFacts facts) throws BadCommand, java.io.IOException {
        String what = command.what();
        if (what.equals("tracepoints")) {
            return GSON.toJson(facts.tracepoints());
        }
        if (what.startsWith("tracepoint-format:")) {
            return GSON.toJson(facts.tracepointFormat(what.substring("tracepoint-format:".length())));
        }
        if (what.startsWith("probe:")) {
            return GSON.toJson(facts.probeQuery(what.substring("probe:".length())));
        }
        throw new BadCommand(command.id(), "no query '" + what + "'");
    }

    /** Sends one query and returns the helper's JSON answer. */
    public interface Query {
        String ask(String what) throws java.io.IOException;
    }

    /** The window's side of the queries: the same facts, asked of the helper. */
    public static HostFacts askedOf(Query query) {
        return new HostFacts() {
            @Override
            public List<String> tracepoints() throws java.io.IOException {
                return List.of(GSON.fromJson(query.ask("tracepoints"), String[].class));
            }

            @Override
            public String tracepointFormat(String tracepoint) throws java.io.IOException {
                return GSON.fromJson(query.ask("tracepoint-format:" + tracepoint), String.class);
            }

            @Override
            public List<Map<String, Object>> probeQuery(String name) throws java.io.IOException {
                return GSON.fromJson(query.ask("probe:" + name), ROWS);
            }
        };
    }

    /** The probe an attach command names, as the helper builds it on its own host. */
    public static Probe probe(Command command) throws BadCommand {
        try {
            return ProbeCatalog.find(command.probe(), command.parameters())
                    .orElseThrow(() -> new BadCommand(command.id(), "no probe '" + command.probe() + "'"));
        } catch (IllegalArgumentException e) {
            throw new BadCommand(command.id(), e.getMessage());
        }
    }

    /** The options of an attach command, checked as the command line checks them. */
    public static ProbeOptions options(Command command) throws BadCommand {
        Options o = command.options();
        List<Path> libraries = new ArrayList<>();
        if (o.libraries() != null) {
            if (o.libraries().size() > MAX_LIBRARIES) {
                throw new BadCommand(command.id(), "at most " + MAX_LIBRARIES + " libraries");
            }
            for (String library : o.libraries()) {
                if (library == null || !library.startsWith("/") || library.indexOf('\0') >= 0) {
                    throw new BadCommand(command.id(), "a library must be an absolute path");
                }
                libraries.add(Path.of(library));
            }
        }
        if (o.pid() < 0 || o.tid() < 0 || o.uid() < ProbeOptions.ANY_UID) {
            throw new BadCommand(command.id(), "pid, tid and uid filters must not be negative");
        }
        if (o.comm() != null && o.comm().length() > 15) {
            throw new BadCommand(command.id(), "a comm filter is at most 15 characters");
        }
        try {
            return new ProbeOptions(o.pid(), o.tid(), o.uid(), o.comm(), o.maxPayload(), libraries, o.includeSelf());
        } catch (IllegalArgumentException e) {
            throw new BadCommand(command.id(), e.getMessage());
        }
    }
}
