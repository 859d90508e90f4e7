package io.bpfscope.probes.tls;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the tls probe tests run: a throwaway certificate, a Python TLS server
 * (Python's ssl module: OpenSSL's SSL_read_ex and SSL_write_ex), and the clients
 * curl, openssl s_client, a Python client, gnutls-cli and an NSS client.
 *
 * <p>The server answers an HTTP GET with {@code reply:PATH}; on any other
 * connection it echoes each chunk back with its letters' case swapped, so a
 * reply never has the bytes of the request it answers.
 */
final class TlsFixtures {
    static final String SERVER = """
            import socket, ssl, sys, threading
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(sys.argv[1], sys.argv[2])
            srv = socket.socket()
            srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            srv.bind(("127.0.0.1", 0))
            srv.listen(16)
            print("PORT", srv.getsockname()[1], flush=True)

            def serve(raw):
                try:
                    with ctx.wrap_socket(raw, server_side=True) as tls:
                        data = tls.recv(65536)
                        if data.startswith(b"GET "):
                            while b"\\r\\n\\r\\n" not in data:
                                data += tls.recv(65536)
                            body = b"reply:" + data.split(b" ")[1][1:] + b"\\n"
                            tls.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: %d\\r\\nConnection: close\\r\\n\\r\\n" % len(body) + body)
                            return
                        while data:
                            tls.sendall(data.swapcase())
                            data = tls.recv(65536)
                except (OSError, ssl.SSLError):
                    pass

            while True:
                conn, _ = srv.accept()
                threading.Thread(target=serve, args=(conn,), daemon=True).start()
            """;

    /**
     * Prints the libssl it mapped, sends payload(token, size) in one write, reads the
     * echo, prints its length and whether it matched. Args: port, token, size.
     */
    static final String CLIENT = """
            import socket, ssl, sys
            port, token, size = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
            for line in open("/proc/self/maps"):
                if "/libssl.so" in line:
                    print("LIBSSL", line.split(None, 5)[5].strip(), flush=True)
                    break
            payload = (token + ":" + "abcdefghijklmnopqrstuvwxyz" * (size // 26 + 1))[:size].encode()
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            with socket.create_connection(("127.0.0.1", port)) as raw, ctx.wrap_socket(raw) as tls:
                tls.write(payload)
                got = b""
                while len(got) < size:
                    chunk = tls.recv(65536)
                    if not chunk:
                        break
                    got += chunk
                print("ECHOED", len(got), got == payload.swapcase(), flush=True)
            """;

    /**
     * An NSS client through ctypes (no NSS command-line client is packaged): an NSPR
     * socket under NSS's SSL layer, any certificate accepted; writes the token line
     * with PR_Write, reads the echo with PR_Read and prints it. Args: port, token.
     */
    static final String NSS_CLIENT = """
            import ctypes, socket, sys
            from ctypes import c_void_p, c_int, c_char_p, CFUNCTYPE
            port, token = int(sys.argv[1]), sys.argv[2]
            nspr = ctypes.CDLL("libnspr4.so")
            nss = ctypes.CDLL("libnss3.so")
            ssl = ctypes.CDLL("libssl3.so")
            nspr.PR_ImportTCPSocket.restype = c_void_p
            ssl.SSL_ImportFD.restype = c_void_p
            ssl.SSL_ImportFD.argtypes = [c_void_p, c_void_p]
            nspr.PR_Write.argtypes = [c_void_p, c_char_p, c_int]
            nspr.PR_Read.argtypes = [c_void_p, c_void_p, c_int]
            assert nss.NSS_NoDB_Init(None) == 0 and ssl.NSS_SetDomesticPolicy() == 0
            fd = nspr.PR_ImportTCPSocket(socket.create_connection(("127.0.0.1", port)).detach())
            tls = c_void_p(ssl.SSL_ImportFD(None, c_void_p(fd)))
            SSL_SECURITY, SSL_HANDSHAKE_AS_CLIENT = 1, 5
            ssl.SSL_OptionSet(tls, SSL_SECURITY, 1)
            ssl.SSL_OptionSet(tls, SSL_HANDSHAKE_AS_CLIENT, 1)
            accept_any = CFUNCTYPE(c_int, c_void_p, c_void_p)(lambda arg, fd: 0)
            ssl.SSL_BadCertHook(tls, accept_any, None)
            ssl.SSL_SetURL(tls, b"localhost")
            assert ssl.SSL_ResetHandshake(tls, 0) == 0
            assert ssl.SSL_ForceHandshake(tls) == 0, nspr.PR_GetError()
            line = (token + "\\n").encode()
            assert nspr.PR_Write(tls, line, len(line)) == len(line)
            buf = ctypes.create_string_buffer(4096)
            n = nspr.PR_Read(tls, buf, 4096)
            print("NSS", buf.raw[:n].decode().strip(), flush=True)
            """;

    private TlsFixtures() {
    }

    /** What {@link #CLIENT} sends: the token, a colon, then the alphabet over and over, {@code size} bytes. */
    static byte[] payload(String token, int size) {
        StringBuilder text = new StringBuilder(token).append(':');
        while (text.length() < size) {
            text.append("abcdefghijklmnopqrstuvwxyz");
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    /** A self-signed certificate for localhost, valid one day: {@code cert.pem} and {@code key.pem} in {@code dir}. */
    static void selfSigned(Path dir) throws IOException, InterruptedException {
        String openssl = require("openssl");
        Process p = new ProcessBuilder(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                "-days", "1", "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError("openssl req failed: " + out);
        }
    }

    /** Starts the server; returns once it listens. */
    static Server server(Path dir) throws IOException, InterruptedException {
        Path script = dir.resolve("tls_server.py");
        Files.writeString(script, SERVER);
        TlsPeer peer = TlsPeer.start(List.of(python(), script.toString(), dir.resolve("cert.pem").toString(),
                dir.resolve("key.pem").toString()));
        try {
            String line = peer.awaitLine(l -> l.startsWith("PORT "), Duration.ofSeconds(10));
            return new Server(peer, Integer.parseInt(line.substring(5).strip()));
        } catch (RuntimeException | Error | InterruptedException e) {
            peer.close();
            throw e;
        }
    }

    /** The Python client of {@link #CLIENT}, started. */
    static TlsPeer pythonClient(Path dir, int port, String token, int size) throws IOException {
        return pythonClient(dir, port, token, size, Map.of());
    }

    static TlsPeer pythonClient(Path dir, int port, String token, int size, Map<String, String> environment) throws IOException {
        Path script = dir.resolve("tls_client.py");
        Files.writeString(script, CLIENT);
        return TlsPeer.start(List.of(python(), script.toString(), Integer.toString(port), token, Integer.toString(size)),
                environment);
    }

    /** The NSS client of {@link #NSS_CLIENT}, started. */
    static TlsPeer nssClient(Path dir, int port, String token) throws IOException {
        Path script = dir.resolve("nss_client.py");
        Files.writeString(script, NSS_CLIENT);
        return TlsPeer.start(List.of(python(), script.toString(), Integer.toString(port), token));
    }

    /** The system's Python (linked against the system's libssl), else the first on PATH. */
    static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : require("python3");
    }

    /**
     * The path of a tool the tests need. Missing, it skips the test on a
     * developer's machine and fails it under CI=true, where .ci/run installs it.
     */
    static String require(String tool) {
        Optional<Path> found = which(tool);
        if (found.isEmpty()) {
            String message = tool + " is not installed (Debian: apt-get install " + packageOf(tool) + ")";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true: " + message);
            }
            assumeTrue(false, message);
        }
        return found.get().toString();
    }

    private static String packageOf(String tool) {
        return switch (tool) {
            case "gnutls-cli" -> "gnutls-bin";
            case "python3" -> "python3";
            default -> tool;
        };
    }

    private static Optional<Path> which(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/bin", "/bin", "/usr/local/bin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, tool)).filter(Files::isExecutable).findFirst();
    }

    /** The running server: its process and port. Closing kills it. */
    record Server(TlsPeer peer, int port) implements AutoCloseable {
        int pid() {
            return peer.pid();
        }

        @Override
        public void close() throws InterruptedException {
            peer.close();
        }
    }
}
