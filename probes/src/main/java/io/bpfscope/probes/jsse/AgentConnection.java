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
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One JVM's agent, seen from the capture: a private directory in the JVM's /tmp holding the agent
 * jar and the socket the agent connects to, the attach that loads it, and a thread that turns the
 * agent's frames into capture records. Only a connection whose peer (SO_PEERCRED) is this JVM's pid
 * is read; anything else is closed unread. Every length in a frame is checked before use: the JVM
 * may be anybody's. Closing it closes the socket (the agent's hooks then fall silent, the JVM runs
 * on) and removes the directory.
 */
final class AgentConnection implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AgentConnection.class.getName());
    private static final int HELLO = 0;
    private static final int EVENT = 1;
    private static final int COUNTS = 2;
    private static final int MESSAGE = 3;
    private static final int BODY_FIXED = JsseDecoder.LAYOUT.fixedSize() - EventHeader.SIZE;
    private static final int CONNECT_WAIT_MILLIS = 10_000;
    private static final String JAR = "jsse-agent.jar";
    private static final String SOCKET = "events.sock";

    private final JvmProcess jvm;
    private final int source;
    private final int maxPayload;
    private final RecordSink sink;
    private final byte[] comm;
    private final String directory;
    /** The JVM's /tmp, held open so the directory can be removed after the JVM (and its /proc entry) is gone. */
    private final int tmp;
    private final UnixSocket listener;
    private final AtomicLong agentLost = new AtomicLong();
    private final AtomicLong agentTruncated = new AtomicLong();
    private final AtomicLong droppedHere = new AtomicLong();
    private final Map<Integer, Integer> hostTids = new HashMap<>();
    private volatile boolean closed;
    private volatile UnixSocket connection;
    private Thread reader;
    private boolean ownNamespace;

    private AgentConnection(JvmProcess jvm, int source, int maxPayload, RecordSink sink, int tmp, String directory,
                            UnixSocket listener) {
        this.tmp = tmp;
        this.jvm = jvm;
        this.source = source;
        this.maxPayload = maxPayload;
        this.sink = sink;
        this.directory = directory;
        this.listener = listener;
        this.comm = jvm.comm().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Puts the agent into {@code jvm} and waits until it has connected. Throws with the reason when
     * it cannot (the caller reports it for this pid); leaves nothing behind then.
     */
    static AgentConnection attach(JvmProcess jvm, byte[] agentJar, int source, int maxPayload, RecordSink sink)
            throws IOException {
        int tmp = HotSpotAttach.openTmp(jvm);
        String name = "bpfscope-jsse-" + HexFormat.of().formatHex(randomBytes());
        int dir = -1;
        UnixSocket listener = null;
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
            String here = "/proc/self/fd/" + dir + "/";
            listener = UnixSocket.listen(here + SOCKET);
            Path socketHere = Path.of(here + SOCKET);
            chown(socketHere, jvm);
            AgentConnection agent = new AgentConnection(jvm, source, maxPayload, sink, tmp, "/tmp/" + name, listener);
            String options = "socket=" + agent.directory + "/" + SOCKET + ",max=" + maxPayload;
            HotSpotAttach.loadAgent(jvm, agent.directory + "/" + JAR, options);
            agent.awaitAgent();
            agent.start();
            tmpKept = true;
            return agent;
        } catch (IOException | RuntimeException e) {
            if (listener != null) {
                listener.close();
            }
            if (dir >= 0) {
                LibC.INSTANCE.unlinkat(dir, SOCKET, 0);
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

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
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

    /** Accepts the agent's connection: the one whose peer is this JVM; the hello must follow. */
    private void awaitAgent() throws IOException {
        long deadline = System.nanoTime() + CONNECT_WAIT_MILLIS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (!listener.await(200)) {
                continue;
            }
            UnixSocket accepted = listener.accept();
            UnixSocket.PeerCredentials peer = accepted.peer();
            if (peer.pid() != jvm.pid()) {
                LOG.log(System.Logger.Level.WARNING, "jsse: refused a connection from pid " + peer.pid()
                        + " on the socket for " + jvm.name());
                accepted.close();
                continue;
            }
            connection = accepted;
            return;
        }
        throw new IOException("the agent loaded but did not connect within " + CONNECT_WAIT_MILLIS / 1000
                + " s (the JVM is older than Java 16, which the agent's channel needs, or it could not reach "
                + directory + ")");
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
                UnixSocket socket = connection;
                if (!socket.await(200)) {
                    continue;
                }
                int n = socket.read(buffer, filled);
                if (n == 0) {
                    break; // the JVM exited, or its agent closed
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
            case HELLO -> {
                require(length >= 9, "hello");
                ownNamespace = frame.getInt(1) != jvm.namespacePid() || jvm.namespacePid() != jvm.pid();
            }
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
        UnixSocket socket = connection;
        if (reader != null) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (socket != null) {
            socket.close();
        }
        listener.close();
        removeDirectory();
    }

    private void removeDirectory() {
        String name = directory.substring("/tmp/".length());
        int dir = LibC.INSTANCE.openat(tmp, name, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (dir >= 0) {
            LibC.INSTANCE.unlinkat(dir, SOCKET, 0);
            LibC.INSTANCE.unlinkat(dir, JAR, 0);
            LibC.INSTANCE.close(dir);
        }
        LibC.INSTANCE.unlinkat(tmp, name, AT_REMOVEDIR);
        LibC.INSTANCE.close(tmp);
    }

    private static final int AT_REMOVEDIR = 0x200;
}
