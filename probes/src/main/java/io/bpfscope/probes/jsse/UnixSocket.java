package io.bpfscope.probes.jsse;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.bpfscope.bridge.sys.LibC;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A unix-domain stream socket by file descriptor, through libc: the JDK's own channels cannot tell
 * the peer's pid (SO_PEERCRED), which is what the jsse probe checks before it trusts a connection.
 * One owner thread reads; {@link #close()} may come from another. Closing twice is harmless.
 */
final class UnixSocket extends Descriptor {
    private static final int PATH_MAX = 108;

    /** The peer's pid, uid and gid in this process's namespaces, as the kernel saw them at connect. */
    record PeerCredentials(int pid, int uid, int gid) {
    }

    private UnixSocket(int fd) {
        super(fd);
    }

    /** A socket listening at {@code path}, which must not exist. */
    static UnixSocket listen(String path) throws IOException {
        UnixSocket socket = open();
        byte[] address = address(path);
        if (LIBC.bind(socket.fd(), address, address.length) != 0 || LIBC.listen(socket.fd(), 4) != 0) {
            int errno = Native.getLastError();
            socket.close();
            throw failure("listening on " + path, errno);
        }
        return socket;
    }

    /** A socket connected to {@code path}. */
    static UnixSocket connect(String path) throws IOException {
        UnixSocket socket = open();
        byte[] address = address(path);
        if (LIBC.connect(socket.fd(), address, address.length) != 0) {
            int errno = Native.getLastError();
            socket.close();
            throw failure("connecting to " + path, errno);
        }
        return socket;
    }

    private static UnixSocket open() throws IOException {
        int fd = LIBC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw failure("socket(AF_UNIX)", Native.getLastError());
        }
        return new UnixSocket(fd);
    }

    /** struct sockaddr_un: the family, the path and its NUL. */
    private static byte[] address(String path) throws IOException {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= PATH_MAX) {
            throw new IOException("socket path too long (" + bytes.length + " bytes): " + path);
        }
        byte[] address = new byte[2 + bytes.length + 1];
        address[0] = (byte) LibC.AF_UNIX;
        System.arraycopy(bytes, 0, address, 2, bytes.length);
        return address;
    }

    /** The next connection; call after {@link #await} said one is waiting. */
    UnixSocket accept() throws IOException {
        int accepted = LIBC.accept4(fd(), Pointer.NULL, Pointer.NULL, LibC.SOCK_CLOEXEC);
        if (accepted < 0) {
            throw failure("accept", Native.getLastError());
        }
        return new UnixSocket(accepted);
    }

    PeerCredentials peer() throws IOException {
        int[] credentials = new int[3];
        int[] length = {12};
        if (LIBC.getsockopt(fd(), LibC.SOL_SOCKET, LibC.SO_PEERCRED, credentials, length) != 0) {
            throw failure("SO_PEERCRED", Native.getLastError());
        }
        return new PeerCredentials(credentials[0], credentials[1], credentials[2]);
    }

    void write(byte[] bytes) throws IOException {
        int done = 0;
        while (done < bytes.length) {
            byte[] rest = done == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, done, bytes.length);
            long n = LIBC.send(fd(), rest, new NativeLong(rest.length), MSG_NOSIGNAL).longValue();
            if (n < 0) {
                throw failure("write", Native.getLastError());
            }
            done += (int) n;
        }
    }

    private static final int MSG_NOSIGNAL = 0x4000;
}
