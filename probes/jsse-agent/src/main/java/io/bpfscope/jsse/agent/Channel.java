package io.bpfscope.jsse.agent;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's connection to the capture, and one daemon thread that writes queued frames to it.
 * Two kinds, as the capture chose by this JVM's version: a unix-domain socket (Java 16 and later;
 * the capture checks the peer's credentials), or a FIFO the capture made and already reads (every
 * Java from 8; the hello carries the token the capture gave only to this JVM). Hooks never wait:
 * when the queue holds {@link #QUEUE_BYTES} a frame is dropped and counted, and the counts go to
 * the capture every second (which is also how a capture that went away is noticed: the write fails,
 * the hooks fall silent, the thread ends). Only that thread ever writes, so only it can block.
 *
 * <p>Frames: u32 length (little-endian, of what follows), u8 type, then by type:
 * {@code HELLO} i32 pid as this JVM sees it, i32 version, the capture's token (16 bytes, since
 * version 2); {@code EVENT} i64 System.nanoTime(), i32 native tid, the record body;
 * {@code COUNTS} u64 lost, u64 truncated (since connect); {@code MESSAGE} UTF-8 text.
 */
final class Channel {
    static final int HELLO = 0;
    static final int EVENT = 1;
    static final int COUNTS = 2;
    static final int MESSAGE = 3;

    private static final long QUEUE_BYTES = 8L << 20;
    private static final int QUEUE_FRAMES = 16384;

    final int maxPayload;
    private final GatheringByteChannel out;
    private final BlockingQueue<ByteBuffer> queue = new ArrayBlockingQueue<ByteBuffer>(QUEUE_FRAMES);
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private volatile boolean closed;

    private Channel(GatheringByteChannel out, int maxPayload) {
        this.out = out;
        this.maxPayload = maxPayload;
    }

    /**
     * Connects to the socket at {@code socketPath}, or else opens the FIFO at {@code fifoPath}, says
     * hello with {@code token} and starts the sender thread.
     */
    static Channel open(String socketPath, String fifoPath, byte[] token, int maxPayload) throws Exception {
        final Channel channel = new Channel(socketPath != null ? connect(socketPath) : openFifo(fifoPath), maxPayload);
        ByteBuffer hello = frame(HELLO, 8 + token.length);
        hello.putInt(currentPid()).putInt(Integer.parseInt(Installer.VERSION)).put(token);
        try {
            channel.write(hello);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        Thread sender = new Thread(new Runnable() {
            @Override
            public void run() {
                channel.sendLoop();
            }
        }, "bpfscope-jsse-sender");
        sender.setDaemon(true);
        sender.start();
        return channel;
    }

    /** A unix-domain socket: Java 16 and later, reached by reflection (the agent is Java 8 bytecode). */
    private static SocketChannel connect(String path) throws Exception {
        Class<?> addressClass = Class.forName("java.net.UnixDomainSocketAddress");
        SocketAddress address = (SocketAddress) addressClass.getMethod("of", String.class).invoke(null, path);
        @SuppressWarnings({"unchecked", "rawtypes"})
        ProtocolFamily unix = (ProtocolFamily) Enum.valueOf((Class) Class.forName("java.net.StandardProtocolFamily"), "UNIX");
        SocketChannel socket = (SocketChannel) SocketChannel.class.getMethod("open", ProtocolFamily.class).invoke(null, unix);
        try {
            socket.connect(address);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    /**
     * The capture's FIFO, write end only. A write-only open of a FIFO waits for a reader, which would
     * hang the attach listener's thread for good if the capture died meanwhile; a read-write open never
     * waits, and while it is held the write-only one cannot wait either. Then only the write end is
     * kept: when the capture's end closes, writes fail (EPIPE) instead of filling a pipe nobody reads.
     */
    private static FileChannel openFifo(String path) throws IOException {
        Path fifo = Paths.get(path);
        FileChannel both = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            return FileChannel.open(fifo, StandardOpenOption.WRITE);
        } finally {
            both.close();
        }
    }

    void offerEvent(ByteBuffer body, int tid) {
        if (closed) {
            return;
        }
        int size = 4 + 1 + 8 + 4 + body.capacity();
        if (queuedBytes.get() + size > QUEUE_BYTES) {
            lost.incrementAndGet();
            return;
        }
        ByteBuffer frame = frame(EVENT, 8 + 4 + body.capacity());
        frame.putLong(System.nanoTime()).putInt(tid);
        body.flip();
        if (body.getInt(16) < body.getLong(8)) {
            truncated.incrementAndGet();
        }
        frame.put(body);
        queuedBytes.addAndGet(size);
        if (!queue.offer(frame)) {
            queuedBytes.addAndGet(-size);
            lost.incrementAndGet();
        }
    }

    void offerMessage(String text) {
        byte[] bytes = text.getBytes(Recorder.UTF_8);
        ByteBuffer frame = frame(MESSAGE, Math.min(bytes.length, 1000));
        frame.put(bytes, 0, Math.min(bytes.length, 1000));
        queue.offer(frame);
    }

    private static ByteBuffer frame(int type, int length) {
        ByteBuffer frame = ByteBuffer.allocate(4 + 1 + length).order(ByteOrder.LITTLE_ENDIAN);
        frame.putInt(1 + length).put((byte) type);
        return frame;
    }

    private void sendLoop() {
        long nextCounts = System.nanoTime();
        try {
            List<ByteBuffer> frames = new ArrayList<ByteBuffer>();
            while (!closed) {
                ByteBuffer first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    // Everything queued meanwhile goes in the same write: one syscall for a burst.
                    frames.add(first);
                    queue.drainTo(frames, 255);
                    long bytes = 0;
                    for (ByteBuffer frame : frames) {
                        bytes += frame.capacity();
                        frame.flip();
                    }
                    queuedBytes.addAndGet(-bytes);
                    ByteBuffer[] gather = frames.toArray(new ByteBuffer[0]);
                    while (gather[gather.length - 1].hasRemaining()) {
                        out.write(gather);
                    }
                    frames.clear();
                }
                if (System.nanoTime() - nextCounts >= 0) {
                    ByteBuffer counts = frame(COUNTS, 16);
                    counts.putLong(lost.get()).putLong(truncated.get());
                    write(counts);
                    nextCounts = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                }
            }
        } catch (IOException e) {
            // the recording ended or bpfscope went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
            Recorder.disconnected(this);
        }
    }

    private void write(ByteBuffer frame) throws IOException {
        frame.flip();
        while (frame.hasRemaining()) {
            out.write(frame);
        }
    }

    void close() {
        closed = true;
        queue.clear();
        try {
            out.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private static int currentPid() {
        try {
            return Integer.parseInt(java.nio.file.Files.readSymbolicLink(java.nio.file.Paths.get("/proc/self")).toString());
        } catch (Exception e) {
            return 0;
        }
    }
}
