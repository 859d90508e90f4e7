package io.bpfscope.probes.unix;

import io.bpfscope.probes.CStrings;
import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.EventLayout;
import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decodes {@code struct unix_event} (unix.h). */
public final class UnixDecoder implements EventDecoder {
    static final EventLayout LAYOUT = EventLayout.struct("unix_event", 208)
            .field("hdr", 0, EventHeader.SIZE)
            .field("sock", 40, 8)
            .field("peer_sock", 48, 8)
            .field("inode", 56, 8)
            .field("peer_inode", 64, 8)
            .field("peer_pid", 72, 4)
            .field("fd", 76, 4)
            .field("buf_len", 80, 4)
            .field("payload_len", 84, 4)
            .field("data_len", 88, 4)
            .field("syscall", 92, 2)
            .field("direction", 94, 1)
            .field("sock_type", 95, 1)
            .field("flags", 96, 1)
            .field("path_len", 97, 1)
            .field("pad", 98, 2)
            .field("path", 100, 108)
            .field("data", 208, 65536)
            .build();

    private static final int SOCK = LAYOUT.offsetOf("sock", Long.BYTES);
    private static final int PEER_SOCK = LAYOUT.offsetOf("peer_sock", Long.BYTES);
    private static final int INODE = LAYOUT.offsetOf("inode", Long.BYTES);
    private static final int PEER_INODE = LAYOUT.offsetOf("peer_inode", Long.BYTES);
    private static final int PEER_PID = LAYOUT.offsetOf("peer_pid", Integer.BYTES);
    private static final int FD = LAYOUT.offsetOf("fd", Integer.BYTES);
    private static final int BUF_LEN = LAYOUT.offsetOf("buf_len", Integer.BYTES);
    private static final int PAYLOAD_LEN = LAYOUT.offsetOf("payload_len", Integer.BYTES);
    private static final int DATA_LEN = LAYOUT.offsetOf("data_len", Integer.BYTES);
    private static final int SYSCALL = LAYOUT.offsetOf("syscall", Short.BYTES);
    private static final int DIRECTION = LAYOUT.offsetOf("direction", Byte.BYTES);
    private static final int SOCK_TYPE = LAYOUT.offsetOf("sock_type", Byte.BYTES);
    private static final int FLAGS = LAYOUT.offsetOf("flags", Byte.BYTES);
    private static final int PATH_LEN = LAYOUT.offsetOf("path_len", Byte.BYTES);
    private static final int PATH_MAX = 108;
    private static final int PATH = LAYOUT.offsetOf("path", PATH_MAX);
    private static final int TRUNCATED = 1;
    private static final int PATH_PEER = 2;
    private static final int SEND = 1;
    private static final String[] SYSCALLS = {"", "write", "read", "sendto", "recvfrom", "sendmsg", "recvmsg",
        "writev", "readv", "sendmmsg", "recvmmsg"};

    @Override
    public UnixEvent decode(ByteBuffer record, int offset, int length) throws MalformedEventException {
        MalformedEventException.requireLength(LAYOUT, length, LAYOUT.fixedSize());
        ByteBuffer le = record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int dataLength = le.getInt(offset + DATA_LEN);
        if (dataLength < 0) {
            throw new MalformedEventException("unix_event with a negative data_len " + dataLength);
        }
        MalformedEventException.requireRoom(LAYOUT, length, LAYOUT.fixedSize(), dataLength);
        int syscall = Short.toUnsignedInt(le.getShort(offset + SYSCALL));
        int flags = Byte.toUnsignedInt(le.get(offset + FLAGS));
        int pathLength = Math.min(Byte.toUnsignedInt(le.get(offset + PATH_LEN)), PATH_MAX);
        byte[] path = new byte[pathLength];
        le.get(offset + PATH, path);
        byte[] data = new byte[dataLength];
        le.get(offset + LAYOUT.fixedSize(), data);
        return new UnixEvent(EventHeader.decode(le, offset),
                le.get(offset + DIRECTION) == SEND ? UnixEvent.Direction.SEND : UnixEvent.Direction.RECV,
                syscall < SYSCALLS.length && syscall > 0 ? SYSCALLS[syscall] : "syscall " + syscall,
                le.getInt(offset + FD),
                sockType(Byte.toUnsignedInt(le.get(offset + SOCK_TYPE))),
                pathName(path),
                (flags & PATH_PEER) != 0,
                le.getInt(offset + PEER_PID),
                le.getLong(offset + SOCK),
                le.getLong(offset + PEER_SOCK),
                le.getLong(offset + INODE),
                le.getLong(offset + PEER_INODE),
                Integer.toUnsignedLong(le.getInt(offset + BUF_LEN)),
                Integer.toUnsignedLong(le.getInt(offset + PAYLOAD_LEN)),
                data,
                (flags & TRUNCATED) != 0);
    }

    @Override
    public EventLayout layout() {
        return LAYOUT;
    }

    static String sockType(int type) {
        switch (type) {
            case 1: return "stream";
            case 2: return "dgram";
            case 5: return "seqpacket";
            default: return "type " + type;
        }
    }

    /**
     * A sun_path as ss shows it: a file path up to its NUL; an abstract name
     * (first byte NUL) as {@code @name}, with its other NULs shown as {@code @}.
     */
    static String pathName(byte[] path) {
        if (path.length == 0) {
            return "";
        }
        if (path[0] != 0) {
            int end = 0;
            while (end < path.length && path[end] != 0) {
                end++;
            }
            return CStrings.decode(path, 0, end);
        }
        byte[] name = path.clone();
        for (int i = 0; i < name.length; i++) {
            if (name[i] == 0) {
                name[i] = '@';
            }
        }
        return CStrings.decode(name, 0, name.length);
    }
}
