package io.bpfscope.probes.jsse;

import com.sun.jna.Native;
import io.bpfscope.bridge.sys.Clocks;
import io.bpfscope.bridge.sys.LibC;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.RecordSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One JVM's agent, seen from the capture: a private directory in the JVM's /tmp holding the agent
 * jar and the channel the agent sends on, the attach that loads it, and a thread that turns the
 * agent's frames into capture records. The channel is a unix socket (Java 16 and later: only a
 * connection whose peer, SO_PEERCRED, is this JVM's pid is read) or a FIFO (every Java from 8: the
 * agent's hello must carry the random token that went only to this JVM, in the attach request;
 * the FIFO is unlinked once the agent holds it). Every length in a frame is checked before use:
 * the JVM may be anybody's. Closing it closes the channel (the agent's hooks then fall silent, the
 * JVM runs on) and removes the directory.
 */
final class AgentConnection implements AutoCloseable {
    /** How the agent sends its frames; {@link JsseRecording} chooses by the JVM's Java version. */
    enum ChannelKind {
        /** A unix-domain socket: the JDK has them from Java 16 on. */
        SOCKET,
        /** A FIFO: a FileChannel can write one in every Java. */
        FIFO
    }

    private static final System.Logger LOG = System.getLogger(AgentConnection.class.getName());
    private static final int HELLO = 0;
    private static final int EVENT = 1;
    private static final int COUNTS = 2;
    private static final int MESSAGE = 3;
    private static final int BODY_FIXED = JsseDecoder.LAYOUT.fixedSize() - EventHeader.SIZE;
    private static final int CONNECT_WAIT_MILLIS = 10_000;
    private static final int TOKEN_BYTES = 16;
    /** A hello: type, pid, version, and since version 2 the token. */
    private static final int HELLO_MIN = 1 + 4 + 4;
    /** The FIFO's buffer: room for a burst while the reader is busy (the kernel's default is 64 KiB). */
    private static final int FIFO_BYTES = 1 << 20;
    private static final String JAR = "jsse-agent.jar";
    private static final String SOCKET = "events.sock";
    private static final String FIFO = "events.fifo";

    private final JvmProcess jvm;
    private final ChannelKind kind;
    private final int source;
    private final int maxPayload;
    private final RecordSink sink;
    private final byte[] comm;
    private final String directory;
    /** The JVM's /tmp, held open so the directory can be removed after the JVM (and its /proc entry) is gone. */
    private final int tmp;
    /** SOCKET: where the agent connects. */
    private final UnixSocket listener;
    /** FIFO: its read end, open before the agent is loaded. */
    private final Descriptor fifo;
    private final byte[] token;
    private final AtomicLong agentLost = new AtomicLong();
    private final AtomicLong agentTruncated = new AtomicLong();
    private final AtomicLong droppedHere = new AtomicLong();
    private final Map<Integer, Integer> hostTids = new HashMap<>();
    private volatile boolean closed;
    private volatile Descriptor connection;
    private Thread reader;
    private boolean ownNamespace;

    private AgentConnection(JvmProcess jvm, ChannelKind kind, int source, int maxPayload, RecordSink sink, int tmp,
                            String directory, UnixSocket listener, Descriptor fifo, byte[] token) {
        this.tmp = tmp;
        this.jvm = jvm;
        this.kind = kind;
        this.source = source;
        this.maxPayload = maxPayload;
        this.sink = sink;
        this.directory = directory;
        this.listener = listener;
        this.fifo = fifo;
        this.token = token;
        this.comm = jvm.comm().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Puts the agent into {@code jvm} and waits until it has said hello on a channel of {@code kind}.
     * Throws with the reason when it cannot (the caller reports it for this pid); leaves nothing
     * behind then.
     */
    static AgentConnection attach(JvmProcess jvm, ChannelKind kind, byte[] agentJar, int source, int maxPayload,
                                  RecordSink sink) throws IOException {
        int tmp = HotSpotAttach.openTmp(jvm);
        String name = "bpfscope-jsse-" + HexFormat.of().formatHex(randomBytes(8));
        int dir = -1;
        UnixSocket listener = null;
        Descriptor fifo = null;
        boolean tmpKept = false;
        try {
            // Root's directory, the JVM's group may enter it (0710): nobody else finds or lists what is inside.
            if (LibC.INSTANCE.mkdirat(tmp, name, 0700) != 0) {
                throw new IOException("creating a directory in its /tmp: " + LibC.INSTANCE.strerror(Native.getLastError()));
            }
            dir = LibC.INSTANCE.openat(tmp, name, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
            if (dir < 0) {
                throw new IOException("opening " + name + ": " + LibC.INSTANCE.strerror(Native.getLastError()));
            }
            LibC.INSTANCE.fchown(dir, 0, jvm.gid());
            LibC.INSTANCE.fchmod(dir, 0710);
            writeJar(dir, agentJar, jvm);
            String directory = "/tmp/" + name;
            String channel;
            if (kind == ChannelKind.SOCKET) {
                String here = "/proc/self/fd/" + dir + "/";
                listener = UnixSocket.listen(here + SOCKET);
                chown(Path.of(here + SOCKET), jvm);
                channel = "socket=" + directory + "/" + SOCKET;
            } else {
                fifo = makeFifo(dir, jvm);
                channel = "fifo=" + directory + "/" + FIFO;
            }
            byte[] token = randomBytes(TOKEN_BYTES);
            AgentConnection agent = new AgentConnection(jvm, kind, source, maxPayload, sink, tmp, directory, listener,
                    fifo, token);
            String options = channel + ",token=" + HexFormat.of().formatHex(token) + ",max=" + maxPayload;
            HotSpotAttach.loadAgent(jvm, directory + "/" + JAR, options);
            agent.awaitAgent();
            if (kind == ChannelKind.FIFO) {
                LibC.INSTANCE.unlinkat(dir, FIFO, 0); // the agent holds it: nobody else opens it by its name now
            }
            agent.start();
            tmpKept = true;
            return agent;
        } catch (IOException | RuntimeException e) {
            if (listener != null) {
                listener.close();
            }
            if (fifo != null) {
                fifo.close();
            }
            if (dir >= 0) {
                LibC.INSTANCE.unlinkat(dir, SOCKET, 0);
                LibC.INSTANCE.unlinkat(dir, FIFO, 0);
                LibC.INSTANCE.unlinkat(dir, JAR, 0);
            }
            LibC.INSTANCE.unlinkat(tmp, name, AT_REMOVEDIR);
            throw e;
        } finally {
            if (dir >= 0) {
                LibC.INSTANCE.close(dir);
            }
            if (!tmpKept) {
                LibC.INSTANCE.close(tmp);
            }
        }
    }

    /**
     * The FIFO the agent will write, and our read end of it, opened first: the agent's open then
     * finds a reader and never waits. Only the JVM's user (and root) may open it (0600). Non-blocking,
     * so that no read waits past the reader's poll.
     */
    private static Descriptor makeFifo(int dir, JvmProcess jvm) throws IOException {
        if (LibC.INSTANCE.mkfifoat(dir, FIFO, 0600) != 0) {
            throw new IOException("making its channel: " + LibC.INSTANCE.strerror(Native.getLastError()));
        }
        int fd = LibC.INSTANCE.openat(dir, FIFO, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("opening its channel: " + LibC.INSTANCE.strerror(Native.getLastError()));
        }
        Descriptor fifo = new Descriptor(fd);
        if (LibC.INSTANCE.fchmod(fd, 0600) != 0 || LibC.INSTANCE.fchown(fd, jvm.uid(), jvm.gid()) != 0) {
            int errno = Native.getLastError();
            fifo.close();
            throw new IOException("handing its channel to uid " + jvm.uid() + ": " + LibC.INSTANCE.strerror(errno));
        }
        LibC.INSTANCE.fcntl(fd, LibC.F_SETPIPE_SZ, FIFO_BYTES); // best effort: 64 KiB works too, with more wake-ups
        return fifo;
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /** The agent jar, readable by the JVM's user only (and root): created new, never through a link. */
    private static void writeJar(int dir, byte[] agentJar, JvmProcess jvm) throws IOException {
        int fd = LibC.INSTANCE.openat(dir, JAR, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW
                | LibC.O_CLOEXEC, 0400);
        if (fd < 0) {
            throw new IOException("writing the agent jar: " + LibC.INSTANCE.strerror(Native.getLastError()));
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(agentJar);
            while (bytes.hasRemaining()) {
                long n = LibC.INSTANCE.write(fd, bytes, new com.sun.jna.NativeLong(bytes.remaining())).longValue();
                if (n <= 0) {
                    throw new IOException("writing the agent jar: " + LibC.INSTANCE.strerror(Native.getLastError()));
                }
                bytes.position(bytes.position() + (int) n);
            }
            LibC.INSTANCE.fchown(fd, jvm.uid(), jvm.gid());
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }

    private static void chown(Path path, JvmProcess jvm) throws IOException {
        // The socket was just made in our own directory: nobody else could have replaced it.
        Files.setAttribute(path, "unix:uid", jvm.uid(), java.nio.file.LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", jvm.gid(), java.nio.file.LinkOption.NOFOLLOW_LINKS);
        Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    /** Waits for the agent's hello on its channel, and believes it only from this JVM. */
    private void awaitAgent() throws IOException {
        long deadline = System.nanoTime() + CONNECT_WAIT_MILLIS * 1_000_000L;
        if (kind == ChannelKind.FIFO) {
            readHello(fifo, deadline);
            connection = fifo;
            return;
        }
        UnixSocket accepted = acceptFromJvm(deadline);
        try {
            readHello(accepted, deadline);
        } catch (IOException | RuntimeException e) {
            accepted.close();
            throw e;
        }
        connection = accepted;
    }

    private void readHello(Descriptor channel, long deadline) throws IOException {
        byte[] length = new byte[4];
        readExactly(channel, length, deadline);
        int size = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (size < HELLO_MIN || size > HELLO_MIN + TOKEN_BYTES) {
            throw new IOException("its agent's channel began with a frame of " + Integer.toUnsignedString(size)
                    + " bytes, not a hello");
        }
        byte[] hello = new byte[size];
        readExactly(channel, hello, deadline);
        ByteBuffer frame = ByteBuffer.wrap(hello).order(ByteOrder.LITTLE_ENDIAN);
        if (frame.get(0) != HELLO) {
            throw new IOException("its agent's channel began with a frame of type " + frame.get(0) + ", not a hello");
        }
        // A socket's peer is checked by the kernel; a FIFO's writer proves itself with the token, which
        // only this JVM was given (an agent of version 1, loaded by an older bpfscope, sends none).
        boolean tokenMatches = size == HELLO_MIN + TOKEN_BYTES
                && MessageDigest.isEqual(token, Arrays.copyOfRange(hello, HELLO_MIN, size));
        if (!tokenMatches && kind == ChannelKind.FIFO) {
            LOG.log(System.Logger.Level.WARNING, "jsse: a hello without the token on the channel for " + jvm.name());
            throw new IOException("its channel's first writer did not know the token given to the agent: refused");
        }
        ownNamespace = frame.getInt(1) != jvm.namespacePid() || jvm.namespacePid() != jvm.pid();
    }

    /** The connection whose peer is this JVM; any other is closed unread. */
    private UnixSocket acceptFromJvm(long deadline) throws IOException {
        while (System.nanoTime() < deadline) {
            if (!listener.await(200)) {
                continue;
            }
            UnixSocket accepted = listener.accept();
            UnixSocket.PeerCredentials peer = accepted.peer();
            if (peer.pid() == jvm.pid()) {
                return accepted;
            }
            LOG.log(System.Logger.Level.WARNING, "jsse: refused a connection from pid " + peer.pid()
                    + " on the socket for " + jvm.name());
            accepted.close();
        }
        throw notConnected();
    }

    /** Fills {@code into} from {@code channel}, reading no further (the frames after it are the reader's). */
    private void readExactly(Descriptor channel, byte[] into, long deadline) throws IOException {
        int filled = 0;
        while (filled < into.length) {
            if (System.nanoTime() > deadline) {
                throw notConnected();
            }
            if (!channel.await(200)) {
                continue;
            }
            int n = channel.read(into, filled, into.length - filled);
            if (n == 0) {
                throw new IOException("the agent closed its channel before it said hello");
            }
            filled += Math.max(n, 0);
        }
    }

    private IOException notConnected() {
        return new IOException("the agent loaded but did not say hello within " + CONNECT_WAIT_MILLIS / 1000
                + " s (it could not reach " + directory + ", or its hooks failed: see the JVM's stderr with"
                + " -Dbpfscope.jsse.debug=true)");
    }

    private void start() {
        reader = new Thread(this::readLoop, "bpfscope-jsse-" + jvm.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Frames: u32 length, u8 type, then the type's fields (the agent's Channel). */
    private void readLoop() {
        byte[] buffer = new byte[1 << 17];
        int filled = 0;
        long monotonicToBoot = Clocks.bootTimeNanos() - System.nanoTime();
        try {
            while (!closed) {
                Descriptor socket = connection;
                if (!socket.await(200)) {
                    continue;
                }
                int n = socket.read(buffer, filled);
                if (n == 0) {
                    break; // the JVM exited, or its agent closed
                }
                if (n < 0) {
                    continue; // nothing after all
                }
                filled += n;
                int at = 0;
                while (filled - at >= 4) {
                    int length = ByteBuffer.wrap(buffer, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                    if (length < 1 || length > buffer.length - 4) {
                        throw new IOException("a frame of " + Integer.toUnsignedString(length) + " bytes");
                    }
                    if (filled - at - 4 < length) {
                        break;
                    }
                    ByteBuffer frame = ByteBuffer.wrap(buffer, at + 4, length).slice().order(ByteOrder.LITTLE_ENDIAN);
                    if (frame.get(0) == COUNTS) {
                        monotonicToBoot = Clocks.bootTimeNanos() - System.nanoTime();
                    }
                    handle(frame, monotonicToBoot);
                    at += 4 + length;
                }
                System.arraycopy(buffer, at, buffer, 0, filled - at);
                filled -= at;
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                sink.notice("jsse: " + jvm.name() + ": its agent's channel was closed: " + e.getMessage());
            }
        }
    }

    private void handle(ByteBuffer frame, long monotonicToBoot) throws IOException {
        int type = frame.get(0);
        int length = frame.remaining();
        switch (type) {
            case EVENT -> {
                int body = length - 13;
                require(body >= BODY_FIXED && body <= BODY_FIXED + maxPayload, "event");
                byte[] record = new byte[EventHeader.SIZE + body];
                ByteBuffer out = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
                out.putLong(frame.getLong(1) + monotonicToBoot);
                out.putInt(jvm.pid()).putInt(hostTid(frame.getInt(9))).putInt(jvm.uid());
                out.putShort((short) JsseProbe.KIND).putShort((short) source);
                out.put(comm, 0, Math.min(comm.length, 15));
                frame.get(13, record, EventHeader.SIZE, body);
                if (!sink.offer(record)) {
                    droppedHere.incrementAndGet();
                }
            }
            case COUNTS -> {
                require(length >= 17, "counts");
                agentLost.set(Math.max(0, frame.getLong(1)));
                agentTruncated.set(Math.max(0, frame.getLong(9)));
            }
            case MESSAGE -> {
                String text = StandardCharsets.UTF_8.decode(frame.slice(1, Math.min(length - 1, 1000))).toString();
                if (text.startsWith("could not hook")) {
                    sink.notice("jsse: " + jvm.name() + ": " + text);
                }
                LOG.log(System.Logger.Level.DEBUG, "jsse agent in " + jvm.name() + ": " + text);
            }
            default -> throw new IOException("a frame of unknown type " + type);
        }
    }

    private static void require(boolean condition, String what) throws IOException {
        if (!condition) {
            throw new IOException("a malformed " + what + " frame");
        }
    }

    /**
     * The thread's id in our pid namespace. The agent reads its own (/proc/thread-self); in a container
     * that is the container's number, found again in /proc/PID/task/T/status (NSpid) and remembered.
     */
    private int hostTid(int agentTid) {
        if (!ownNamespace) {
            return agentTid;
        }
        return hostTids.computeIfAbsent(agentTid, tid -> {
            try (var tasks = Files.list(Path.of("/proc", Integer.toString(jvm.pid()), "task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("NSpid:") && line.endsWith("\t" + tid)) {
                            return Integer.parseInt(task.getFileName().toString());
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the thread is gone: its number as the JVM saw it
            }
            return tid;
        });
    }

    JvmProcess jvm() {
        return jvm;
    }

    long lost() {
        return agentLost.get() + droppedHere.get();
    }

    long truncated() {
        return agentTruncated.get();
    }

    /** Closes the channel (the agent falls silent), stops the reader, removes the directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Descriptor channel = connection;
        if (reader != null) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (channel != null) {
            channel.close();
        }
        if (listener != null) {
            listener.close();
        }
        if (fifo != null) {
            fifo.close();
        }
        removeDirectory();
    }

    private void removeDirectory() {
        String name = directory.substring("/tmp/".length());
        int dir = LibC.INSTANCE.openat(tmp, name, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (dir >= 0) {
            LibC.INSTANCE.unlinkat(dir, SOCKET, 0);
            LibC.INSTANCE.unlinkat(dir, FIFO, 0);
            LibC.INSTANCE.unlinkat(dir, JAR, 0);
            LibC.INSTANCE.close(dir);
        }
        LibC.INSTANCE.unlinkat(tmp, name, AT_REMOVEDIR);
        LibC.INSTANCE.close(tmp);
    }

    private static final int AT_REMOVEDIR = 0x200;
}
