package io.bpfscope.jsse.agent;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;

/**
 * What the hooks call: turns one plaintext call into a frame for the capture and queues it for
 * {@link Channel}. Public because the hooks run inside JSSE's classes. Lives in the bootstrap class
 * loader, once per JVM, across recordings; {@link #connect} points it at the current recording.
 *
 * <p>The frame body is the capture record's body ({@code jsse_event} after its 40-byte header, see
 * the probe's {@code JsseDecoder}): the capture adds the header (pid, uid, comm, time) itself.
 * Thread-safe; hooks on any thread.
 */
public final class Recorder {
    public static final int FN_ENGINE_WRAP = 1;
    public static final int FN_ENGINE_UNWRAP = 2;
    public static final int FN_SOCKET_WRITE = 3;
    public static final int FN_SOCKET_READ = 4;

    /** True while a recording listens; the hooks read it first and stop there when false. */
    public static volatile boolean active;

    /** The fixed part of the body: conn, payload_len, len, function, family, sport, dport, saddr, daddr. */
    static final int BODY_FIXED = 8 + 8 + 4 + 2 + 2 + 2 + 2 + 16 + 16;

    private static final Map<Object, Connection> CONNECTIONS = new WeakHashMap<Object, Connection>();
    private static final ThreadLocal<int[]> NATIVE_TID = new ThreadLocal<int[]>();
    private static long nextConnection;
    private static volatile Channel channel;

    private Recorder() {
    }

    /**
     * Connects to the recording named in {@code arguments}: {@code socket=PATH} or {@code fifo=PATH},
     * {@code token=HEX} (the hello proves with it that it comes from this JVM), {@code max=BYTES}.
     * Replaces an old recording.
     */
    public static synchronized void connect(String arguments) {
        String socket = null;
        String fifo = null;
        byte[] token = new byte[0];
        int maxPayload = 32 * 1024;
        for (String part : String.valueOf(arguments).split(",")) {
            if (part.startsWith("socket=")) {
                socket = part.substring("socket=".length());
            } else if (part.startsWith("fifo=")) {
                fifo = part.substring("fifo=".length());
            } else if (part.startsWith("token=")) {
                token = hex(part.substring("token=".length()));
            } else if (part.startsWith("max=")) {
                maxPayload = Math.max(1, Math.min(Integer.parseInt(part.substring("max=".length())), 32 * 1024));
            }
        }
        Channel old = channel;
        if (old != null) {
            old.close();
        }
        active = false;
        channel = null;
        if (socket == null && fifo == null) {
            return;
        }
        try {
            channel = Channel.open(socket, fifo, token, maxPayload);
            active = true;
        } catch (Exception e) {
            // No recording to talk to: the hooks stay silent.
            if (Boolean.getBoolean("bpfscope.jsse.debug")) { e.printStackTrace(); }
        }
    }

    private static byte[] hex(String text) {
        byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    /** The channel failed or closed (the recording ended): hooks fall silent. */
    static synchronized void disconnected(Channel closed) {
        if (channel == closed) {
            active = false;
            channel = null;
        }
    }

    /** Something the capture should report (what got hooked, what failed). */
    static void message(String text) {
        Channel current = channel;
        if (current != null) {
            current.offerMessage(text);
        }
    }

    public static int[] positions(ByteBuffer[] buffers, int offset, int length) {
        int[] positions = new int[length];
        for (int i = 0; i < length; i++) {
            positions[i] = buffers[offset + i].position();
        }
        return positions;
    }

    /** An engine call moved the bytes between each buffer's position before and now. */
    public static void engineData(Object engine, int function, ByteBuffer[] buffers, int offset, int length, int[] before) {
        Channel current = channel;
        if (current == null) {
            return;
        }
        long total = 0;
        for (int i = 0; i < length; i++) {
            total += buffers[offset + i].position() - before[i];
        }
        if (total <= 0) {
            return; // a handshake step or a closed engine: no application data
        }
        int captured = (int) Math.min(total, current.maxPayload);
        byte[] data = new byte[captured];
        int copied = 0;
        for (int i = 0; i < length && copied < captured; i++) {
            ByteBuffer moved = buffers[offset + i].duplicate();
            int n = Math.min(moved.position() - before[i], captured - copied);
            if (n > 0) {
                moved.position(before[i]);
                moved.get(data, copied, n);
                copied += n;
            }
        }
        current.offerEvent(frameBody(connection(engine), function, total, data, 0, captured), nativeTid());
    }

    /** A socket stream call moved {@code length} bytes of {@code bytes} from {@code offset}. */
    public static void socketData(Object socket, int function, byte[] bytes, int offset, int length) {
        Channel current = channel;
        if (current == null || length <= 0) {
            return;
        }
        int captured = Math.min(length, current.maxPayload);
        current.offerEvent(frameBody(connection(socket), function, length, bytes, offset, captured), nativeTid());
    }

    private static ByteBuffer frameBody(Connection connection, int function, long total, byte[] data, int offset,
                                        int captured) {
        ByteBuffer body = ByteBuffer.allocate(BODY_FIXED + captured).order(ByteOrder.LITTLE_ENDIAN);
        body.putLong(connection.id).putLong(total).putInt(captured).putShort((short) function)
                .putShort((short) connection.family).putShort((short) connection.localPort)
                .putShort((short) connection.remotePort);
        body.put(connection.localAddress).put(connection.remoteAddress);
        body.put(data, offset, captured);
        return body;
    }

    /** The SSLSocket's or SSLEngine's id and ends, made on first sight: one id per object for the JVM's life. */
    private static Connection connection(Object key) {
        synchronized (CONNECTIONS) {
            Connection known = CONNECTIONS.get(key);
            if (known == null) {
                known = Connection.of(++nextConnection, key);
                CONNECTIONS.put(key, known);
            }
            return known;
        }
    }

    /** This thread's id in the kernel, from /proc/thread-self ({@code PID/task/TID}), read once per thread. */
    private static int nativeTid() {
        int[] cached = NATIVE_TID.get();
        if (cached == null) {
            cached = new int[] {0};
            try {
                String link = Files.readSymbolicLink(Paths.get("/proc/thread-self")).toString();
                cached[0] = Integer.parseInt(link.substring(link.lastIndexOf('/') + 1));
            } catch (Exception e) {
                // Linux before 3.17: the capture shows tid 0
            }
            NATIVE_TID.set(cached);
        }
        return cached[0];
    }

    /** A connection's id and addresses; an unknown end is all zeros. */
    static final class Connection {
        final long id;
        int family;
        byte[] localAddress = new byte[16];
        byte[] remoteAddress = new byte[16];
        int localPort;
        int remotePort;

        private Connection(long id) {
            this.id = id;
        }

        static Connection of(long id, Object key) {
            Connection connection = new Connection(id);
            try {
                if (key instanceof Socket) {
                    Socket socket = (Socket) key;
                    connection.ends(socket.getLocalAddress(), socket.getLocalPort(), socket.getInetAddress(),
                            socket.getPort());
                } else if (key instanceof SSLEngine) {
                    SSLEngine engine = (SSLEngine) key;
                    // Only a literal address is taken: a hook never resolves a name.
                    String host = engine.getPeerHost();
                    InetAddress peer = host != null && isLiteral(host) ? InetAddress.getByName(host) : null;
                    connection.ends(null, 0, peer, Math.max(engine.getPeerPort(), 0));
                }
            } catch (Exception e) {
                // ends stay unknown
            }
            return connection;
        }

        private void ends(InetAddress local, int lport, InetAddress remote, int rport) {
            byte[] l = local == null ? null : local.getAddress();
            byte[] r = remote == null ? null : remote.getAddress();
            boolean v6 = l != null && l.length == 16 || r != null && r.length == 16;
            family = l == null && r == null ? 0 : v6 ? 10 : 2;
            localAddress = place(l, v6);
            remoteAddress = place(r, v6);
            localPort = Math.max(lport, 0);
            remotePort = Math.max(rport, 0);
        }

        /** Into 16 bytes: IPv4 in the first four, or IPv4-mapped IPv6 when the other end is IPv6. */
        private static byte[] place(byte[] address, boolean v6) {
            byte[] out = new byte[16];
            if (address == null) {
                return out;
            }
            if (address.length == 4 && v6) {
                out[10] = (byte) 0xff;
                out[11] = (byte) 0xff;
                System.arraycopy(address, 0, out, 12, 4);
            } else {
                System.arraycopy(address, 0, out, 0, address.length);
            }
            return out;
        }

        private static boolean isLiteral(String host) {
            if (host.indexOf(':') >= 0) {
                return true;
            }
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                if (c != '.' && (c < '0' || c > '9')) {
                    return false;
                }
            }
            return !host.isEmpty();
        }
    }

    static final Charset UTF_8 = Charset.forName("UTF-8");
}
