package io.bpfscope.capture.helper;

import com.google.gson.JsonParseException;
import io.bpfscope.bridge.BpfException;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.helper.HelperProtocol.Command;
import io.bpfscope.capture.helper.HelperProtocol.Reply;
import io.bpfscope.capture.live.StreamCapture;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A capture the window drives: it asks the capture helper (root) to attach and detach probes, and
 * what the helper streams back gathers in an {@link EventStore} and a private capture file
 * ({@link StreamCapture}: memory stays bounded, Save is a copy). Everything here runs as the user:
 * the helper sends raw records, decoding happens on this side. Thread-safe.
 */
public final class LiveCapture implements AutoCloseable {
    /** Loading a probe takes well under a second here; an emulated old kernel may take many. */
    private static final long REPLY_SECONDS = 120;

    /** A probe the helper attached: its records carry {@code source}. */
    public record AttachedProbe(Probe probe, int source, List<String> warnings) {
    }

    private final HelperConnection helper;
    private final Map<Long, CompletableFuture<Reply>> waiting = new ConcurrentHashMap<>();
    private final StreamCapture stream;
    private volatile String helperProblem;
    private volatile java.util.function.Consumer<String> notices = text -> { };
    private volatile boolean closing;

    private LiveCapture(HelperConnection helper, Path directory, long memoryBudget) throws IOException {
        this.helper = helper;
        long start = helper.nextId();
        CompletableFuture<Reply> started = expect(start);
        helper.send(Command.start(start));
        this.stream = StreamCapture.start(helper.stream(), "the capture helper", directory, memoryBudget,
                "bpfscope-live-", this::onBlock);
        Reply reply = await(started, "start the capture");
        if (!reply.ok()) {
            stream.close();
            throw new IOException(reply.error());
        }
    }

    /** Begins a capture stream on {@code helper}; nothing is attached yet. */
    public static LiveCapture start(HelperConnection helper, Path directory, long memoryBudget) throws IOException {
        return new LiveCapture(helper, directory, memoryBudget);
    }

    public EventStore store() {
        return stream.store();
    }

    /** The private file the events are written to as they come. */
    public Path file() {
        return stream.file();
    }

    /** The header with every probe attached so far (as the helper declared them). */
    public CaptureHeader header() {
        return stream.header();
    }

    public CaptureCounters counters() {
        return stream.countersSoFar();
    }

    /**
     * Asks the helper to attach; returns once it has, and once its PROBE block has been read, so the
     * probe's first records decode. Throws with the helper's reason when it cannot; others keep running.
     */
    public AttachedProbe attach(Probe probe, ProbeOptions options) throws BpfException, IOException {
        Reply reply = request(id -> Command.attach(id, probe, options), "attach " + probe.name());
        if (!reply.ok()) {
            // The helper's message is already the whole sentence (operation, target, errno, advice).
            throw new BpfException(reply.error(), "", 0, "", reply.details());
        }
        return new AttachedProbe(probe, reply.source(), reply.warnings());
    }

    public void detach(AttachedProbe probe) throws IOException {
        requestOk(id -> Command.detach(id, probe.source()), "detach " + probe.probe().name());
    }

    /** Asks the helper one of the {@link io.bpfscope.capture.helper.HostFacts} queries; returns its JSON answer. */
    public String query(String what) throws IOException {
        return requestOk(id -> Command.query(id, what), "ask the capture helper for " + what).data();
    }

    /** Why the capture stopped taking events (the helper died or failed), or null while it runs. */
    public Throwable failure() {
        if (helperProblem != null) {
            return new IOException(helperProblem);
        }
        if (stream.finished() && !closing) {
            return new IOException("the capture helper has stopped" + stream.problem().map(p -> ": " + p).orElse("")
                    + "; restart bpfscope to capture again (what was captured is kept)");
        }
        return null;
    }

    /** Detaches everything (the helper ends the stream) and deletes the private file. */
    @Override
    public void close() throws IOException {
        closing = true;
        try {
            helper.send(Command.stop(helper.nextId()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!stream.finished() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (IOException e) {
            // the helper is gone: nothing to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stream.close();
        }
    }

    /** As {@link #request}; a refusal is an IOException with the helper's reason. */
    private Reply requestOk(java.util.function.LongFunction<Command> command, String what) throws IOException {
        Reply reply = request(command, what);
        if (!reply.ok()) {
            throw new IOException(reply.error());
        }
        return reply;
    }

    private Reply request(java.util.function.LongFunction<Command> command, String what) throws IOException {
        Throwable failure = failure();
        if (failure != null) {
            throw new IOException(failure.getMessage());
        }
        long id = helper.nextId();
        CompletableFuture<Reply> reply = expect(id); // before the command goes out, so a fast reply is never missed
        helper.send(command.apply(id));
        return await(reply, what);
    }

    private CompletableFuture<Reply> expect(long id) {
        return waiting.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    private Reply await(CompletableFuture<Reply> reply, String what) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REPLY_SECONDS);
        while (true) {
            try {
                return reply.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (stream.finished() || helperProblem != null) {
                    Throwable failure = failure();
                    throw new IOException("cannot " + what + ": " + (failure != null ? failure.getMessage()
                            : "the capture helper has stopped"));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("cannot " + what + ": the capture helper did not answer in " + REPLY_SECONDS + " s");
                }
            } catch (ExecutionException e) {
                throw new IOException("cannot " + what + ": " + e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("cannot " + what + ": interrupted");
            }
        }
    }

    /** Where the probes' later notices go; called on the stream's reader thread. */
    public void onNotices(java.util.function.Consumer<String> handler) {
        this.notices = handler;
    }

    /** On the stream's reader thread: the helper's answers, in order with the records. */
    private void onBlock(int type, byte[] payload) {
        if (type != CaptureFormat.BLOCK_REPLY) {
            return;
        }
        Reply reply;
        try {
            reply = Reply.parse(payload);
        } catch (JsonParseException e) {
            helperProblem = "the capture helper sent a reply that is not JSON";
            return;
        }
        CompletableFuture<Reply> future = waiting.remove(reply.id());
        if (future != null) {
            future.complete(reply);
        } else if (reply.ok() && reply.id() == 0) {
            reply.warnings().forEach(notices); // a probe's notice, e.g. a JVM jsse could not trace
        } else if (!reply.ok()) {
            // Not an answer to anything: the helper says why it stopped capturing.
            helperProblem = "the capture helper: " + reply.error();
        }
    }
}
