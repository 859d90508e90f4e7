package io.bpfscope.probes.unix;

import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bytes one syscall moved over a unix-domain socket. {@code path} is the
 * socket's bound name, or its peer's (then {@code pathIsPeer}), or empty for
 * unnamed sockets such as a socketpair; {@code sock}/{@code peerSock} are
 * kernel addresses that identify the two ends of a conversation.
 */
public record UnixEvent(EventHeader header, Direction direction, String syscall, int fd, String sockType,
                        String path, boolean pathIsPeer, int peerPid, long sock, long peerSock, long inode,
                        long peerInode, long bufLen, long payloadLen, byte[] data, boolean truncated)
        implements DecodedEvent {

    /** Which way the bytes went, seen from the process in the header. */
    public enum Direction {
        SEND, RECV;

        public String label() {
            return this == SEND ? "send" : "recv";
        }
    }

    private static final int PREVIEW = 64;

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("direction", direction.label());
        fields.put("syscall", syscall);
        fields.put("fd", fd);
        fields.put("sock_type", sockType);
        fields.put("path", path);
        fields.put("path_owner", path.isEmpty() ? "" : pathIsPeer ? "peer" : "self");
        fields.put("peer_pid", peerPid);
        fields.put("sock", hex(sock));
        fields.put("peer_sock", hex(peerSock));
        fields.put("inode", inode);
        fields.put("peer_inode", peerInode);
        fields.put("buf_len", bufLen);
        fields.put("len", data.length);
        return fields;
    }

    @Override
    public String summary() {
        StringBuilder text = new StringBuilder();
        text.append(direction.label()).append(' ').append(payloadLen).append(" B ").append(syscall)
                .append(' ').append(sockType);
        text.append(' ').append(path.isEmpty() ? "socket:[" + inode + "]" : path);
        if (peerPid != 0) {
            text.append(" peer ").append(peerPid);
        }
        text.append(": ").append(preview(data, PREVIEW));
        if (truncated || data.length > PREVIEW) {
            text.append('…');
        }
        return text.toString();
    }

    @Override
    public Payload payload() {
        return new Payload(data, payloadLen, truncated);
    }

    static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }

    /** Printable ASCII as is, everything else as a dot, like a hex dump's text column. */
    static String preview(byte[] bytes, int max) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, max); i++) {
            int b = bytes[i] & 0xff;
            text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return text.toString();
    }
}
