package io.bpfscope.capture.live;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.bridge.ring.RingBuffer;
import io.bpfscope.bridge.sys.Clocks;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.probes.LoadedProbe;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeLoader;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.SelfFilter;
import io.bpfscope.probes.RecordSink;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A live capture: one shared ring buffer, the probes attached to it, and two
 * threads. The reader drains the ring into batches and never waits: if the
 * consumer falls behind and the hand-off queue is full, the batch is dropped
 * and counted ({@link #droppedInUserSpace()}). The dispatcher hands batches
 * to the {@link Listener} on its own thread.
 *
 * <p>Thread-safe. {@link #close()} detaches every probe, drains what is left,
 * and stops both threads.
 */
public final class CaptureSession implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CaptureSession.class.getName());
    public static final int DEFAULT_RING_BYTES = 16 * 1024 * 1024;
    private static final int QUEUE_BATCHES = 1024;
    private static final RecordBatch END = new RecordBatch(0, 0);
    private static final int MAX_BATCH_BYTES = 4 << 20;
    private static final int MAX_BATCH_RECORDS = 65536;
    private static final int MIN_RECORD_BYTES = 48;
    private static final int SMALL_BATCH = 256;
    private static final long COALESCE_NANOS = 1_000_000; // 8-byte ring header + the 40-byte event header

    /** Receives batches and a tick about every {@link #TICK_MS}; called on the dispatcher thread only. */
    public interface Listener {
        void onBatch(RecordBatch batch) throws Exception;

        default void onTick() throws Exception {
        }

        /** Something a probe says after its attach (jsse: a JVM that could not be traced); on the dispatcher. */
        default void onNotice(String text) throws Exception {
        }

        /** The ring-buffer reader died, after the last batch it read; the capture takes no more events. */
        default void onReaderFailure(Throwable failure) throws Exception {
        }
    }

    /** A probe to attach, with the user's options. */
    public record Request(Probe probe, ProbeOptions options) {
    }

    /** A probe that could not attach; the others keep running. */
    public record Failure(Probe probe, BpfException error) {
    }

    public static final long TICK_MS = 1000;

    private final RingBuffer ring;
    private final SelfFilter self; // null: nothing is kept out
    private final Listener listener;
    private final List<LoadedProbe> probes = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private final BlockingQueue<RecordBatch> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread reader;
    private final Thread dispatcher;
    private volatile boolean running = true;
    private volatile boolean detached;
    private volatile Throwable listenerFailure;
    private volatile Throwable readerFailure;
    private int nextSource = 1;
    /** Records made in user space (a {@link Probe#userSpace()} probe's), waiting for the reader to batch them. */
    private final ConcurrentLinkedQueue<byte[]> injected = new ConcurrentLinkedQueue<>();
    private final AtomicInteger injectedWaiting = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> notices = new ConcurrentLinkedQueue<>();
    private static final int MAX_INJECTED_WAITING = 65536;
    /** User-space records join the ring's stream here: batched by the reader, so they flow, count and drop alike. */
    private final RecordSink sink = new RecordSink() {
        @Override
        public boolean offer(byte[] record) {
            if (detached || record.length < io.bpfscope.probes.EventHeader.SIZE) {
                return false;
            }
            if (injectedWaiting.incrementAndGet() > MAX_INJECTED_WAITING) {
                injectedWaiting.decrementAndGet(); // the reader is behind: the producer counts it lost
                return false;
            }
            injected.add(record);
            return true;
        }

        @Override
        public void notice(String text) {
            notices.add(text);
        }
    };

    private CaptureSession(RingBuffer ring, SelfFilter self, Listener listener) {
        this.ring = ring;
        this.self = self;
        this.listener = listener;
        this.reader = new Thread(this::readLoop, "bpfscope-ring-reader");
        this.dispatcher = new Thread(this::dispatchLoop, "bpfscope-dispatcher");
        reader.setDaemon(true);
        dispatcher.setDaemon(true);
    }

    /** Creates the ring buffer and starts the threads; attach probes with {@link #attach}. */
    public static CaptureSession start(int ringBytes, Listener listener) throws BpfException {
        return start(ringBytes, listener, List.of());
    }

    /**
     * As {@link #start(int, Listener)}, keeping {@code ownProcesses} (bpfscope's own tgids: this
     * process, the window) and every process they start out of each probe whose options do not
     * {@link ProbeOptions#includeSelf() include self}. Should the kernel refuse the filter, the capture
     * goes on without it and the log says why.
     */
    public static CaptureSession start(int ringBytes, Listener listener, java.util.Collection<Long> ownProcesses)
            throws BpfException {
        RingBuffer ring = RingBuffer.create(ringBytes);
        SelfFilter self = ownProcesses.isEmpty() ? null
                : SelfFilter.startOrWarn(ownProcesses, warning -> LOG.log(Level.WARNING, warning));
        CaptureSession session = new CaptureSession(ring, self, listener);
        session.reader.start();
        session.dispatcher.start();
        return session;
    }

    /**
     * Attaches each requested probe; a probe that fails is recorded in
     * {@link #failures()} and the others go on. Returns the probes attached now.
     */
    public List<LoadedProbe> attachAll(List<Request> requests) {
        List<LoadedProbe> attached = new ArrayList<>();
        for (Request request : requests) {
            try {
                attached.add(attach(request));
            } catch (BpfException e) {
                synchronized (this) {
                    failures.add(new Failure(request.probe(), e));
                }
                LOG.log(Level.WARNING, "probe " + request.probe().name() + " failed: " + e.getMessage() + "\n" + e.details());
            }
        }
        return attached;
    }

    /** Loads and attaches one probe into this session's ring. */
    public LoadedProbe attach(Request request) throws BpfException {
        return attach(request, source -> { });
    }

    /**
     * Loads and attaches one probe; {@code announce} gets its source id after the load and
     * before the attach, when none of its records can exist yet (see {@link ProbeLoader}).
     */
    public LoadedProbe attach(Request request, java.util.function.IntConsumer announce) throws BpfException {
        int source;
        synchronized (this) {
            if (detached) {
                throw new BpfException("attach", request.probe().name(), 0, "the capture has stopped", "");
            }
            source = nextSource++;
        }
        int id = source;
        LoadedProbe loaded = ProbeLoader.load(request.probe(), request.options(), source, ring, self, sink,
                () -> announce.accept(id));
        synchronized (this) {
            probes.add(loaded);
        }
        return loaded;
    }

    /** Detaches one probe; its counters stay readable. */
    public void detach(LoadedProbe probe) {
        probe.close();
    }

    public synchronized List<LoadedProbe> probes() {
        return List.copyOf(probes);
    }

    public synchronized List<Failure> failures() {
        return List.copyOf(failures);
    }

    public int ringBytes() {
        return ring.size();
    }

    /** Records read from the ring so far. */
    public long received() {
        return received.get();
    }

    /** Records read from the ring but dropped because the consumer was behind. */
    public long droppedInUserSpace() {
        return dropped.get();
    }

    /** A failure thrown by the listener, which stops the capture (e.g. a full disk). */
    public Throwable listenerFailure() {
        return listenerFailure;
    }

    /** Why the ring-buffer reader died, which stops the capture; null while it works. */
    public Throwable readerFailure() {
        return readerFailure;
    }

    /** False once a stop was asked for, or once the reader or the listener failed. */
    public boolean isRunning() {
        return running;
    }

    /** Totals right now: events, lost and truncated per probe. */
    public CaptureCounters counters(long events) {
        List<CaptureCounters.ProbeCounters> perProbe = new ArrayList<>();
        for (LoadedProbe p : probes()) {
            try {
                perProbe.add(new CaptureCounters.ProbeCounters(p.source(), p.probe().name(), p.lost(), p.truncated()));
            } catch (BpfException e) {
                LOG.log(Level.WARNING, "reading counters of " + p.probe().name() + ": " + e.getMessage());
            }
        }
        return new CaptureCounters(Clocks.bootTimeNanos(), events, dropped.get(), perProbe);
    }

    private void readLoop() {
        try {
            while (true) {
                batchInjected();
                long pending = ring.pendingBytes();
                if (pending == 0) {
                    if (!running && detached && injected.isEmpty()) {
                        break; // probes are gone and the ring is empty
                    }
                    ring.awaitData(50);
                    continue;
                }
                // Sized to what is waiting, so a batch of one event does not pin a megabyte in the store.
                RecordBatch batch = new RecordBatch((int) Math.min(pending, MAX_BATCH_BYTES),
                        (int) Math.min(pending / MIN_RECORD_BYTES + 1, MAX_BATCH_RECORDS));
                int n = ring.drain(batch);
                if (n == 0) {
                    Thread.onSpinWait(); // a record is still being written, or only discarded ones came
                    continue;
                }
                received.addAndGet(n);
                if (!queue.offer(batch)) {
                    dropped.addAndGet(n); // never wait for a slow consumer: count and go on
                }
                if (n < SMALL_BATCH) {
                    // A trickle: let events gather for a millisecond instead of paying a wake-up,
                    // a batch and a hand-off for each one. Nobody sees a millisecond.
                    LockSupport.parkNanos(COALESCE_NANOS);
                }
            }
        } catch (BpfException | RuntimeException | Error e) {
            // Nothing reads the ring any more: the capture is over, and whoever waits on it must hear why.
            readerFailure = e;
            running = false;
            LOG.log(Level.ERROR, "ring buffer reader stopped", e);
        } finally {
            putEnd();
        }
    }

    /** Moves the user-space records that arrived into batches, as the ring's records go. */
    private void batchInjected() {
        if (injected.isEmpty()) {
            return;
        }
        RecordBatch batch = new RecordBatch(1 << 16, 1024);
        byte[] record;
        while ((record = injected.poll()) != null) {
            injectedWaiting.decrementAndGet();
            if (!batch.append(record, 0, record.length)) {
                hand(batch);
                batch = new RecordBatch(1 << 16, 1024);
                batch.append(record, 0, record.length);
            }
        }
        hand(batch);
    }

    private void hand(RecordBatch batch) {
        received.addAndGet(batch.count());
        if (!queue.offer(batch)) {
            dropped.addAndGet(batch.count());
        }
    }

    private void putEnd() {
        while (true) {
            try {
                queue.put(END);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void dispatchLoop() {
        long nextTick = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TICK_MS);
        try {
            while (true) {
                RecordBatch batch = queue.poll(100, TimeUnit.MILLISECONDS);
                if (batch == END) {
                    if (readerFailure != null && listenerFailure == null) {
                        listener.onReaderFailure(readerFailure); // set before END was queued
                    }
                    break;
                }
                if (batch != null && listenerFailure == null) {
                    listener.onBatch(batch);
                }
                for (String notice; (notice = notices.poll()) != null && listenerFailure == null; ) {
                    listener.onNotice(notice);
                }
                if (System.nanoTime() >= nextTick && listenerFailure == null) {
                    listener.onTick();
                    nextTick = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TICK_MS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | Error e) {
            listenerFailure = e;
            running = false;
            LOG.log(Level.ERROR, "capture consumer failed", e);
            // Keep draining so the reader can finish; the batches are lost and counted.
            drainAfterFailure();
        }
    }

    private void drainAfterFailure() {
        try {
            while (true) {
                RecordBatch batch = queue.take();
                if (batch == END) {
                    return;
                }
                dropped.addAndGet(batch.count());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the capture to stop; {@link #close()} does the work. Safe from a signal handler. */
    public void requestStop() {
        running = false;
    }

    /**
     * Detaches every probe, lets the reader drain what the kernel already
     * wrote, waits for the listener to see it, then frees the ring. Idempotent.
     */
    @Override
    public void close() {
        running = false;
        synchronized (this) {
            if (detached) {
                return;
            }
            for (LoadedProbe probe : probes) {
                probe.close();
            }
            detached = true;
        }
        if (self != null) {
            self.close();
        }
        joinQuietly(reader);
        joinQuietly(dispatcher);
        ring.close();
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
