package io.bpfscope.probes.tls;

import java.util.Optional;

/**
 * The library calls the tls probe traces: their ids in {@code tls_event.function}
 * ({@code TLS_FN_*} in tls.h), the symbol each is attached to and the entry program
 * that stashes its arguments. Every C library call returns through the shared {@code tls_return};
 * Go's through {@code tls_go_return}, put on each of their RET instructions.
 */
public enum TlsFunction {
    SSL_WRITE(1, "SSL_write", "tls_ssl_write", "openssl", "write"),
    SSL_READ(2, "SSL_read", "tls_ssl_read", "openssl", "read"),
    SSL_WRITE_EX(3, "SSL_write_ex", "tls_ssl_write_ex", "openssl", "write"),
    SSL_READ_EX(4, "SSL_read_ex", "tls_ssl_read_ex", "openssl", "read"),
    GNUTLS_RECORD_SEND(5, "gnutls_record_send", "tls_gnutls_send", "gnutls", "write"),
    GNUTLS_RECORD_RECV(6, "gnutls_record_recv", "tls_gnutls_recv", "gnutls", "read"),
    PR_WRITE(7, "PR_Write", "tls_pr_write", "nspr", "write"),
    PR_READ(8, "PR_Read", "tls_pr_read", "nspr", "read"),
    PR_SEND(9, "PR_Send", "tls_pr_send", "nspr", "write"),
    PR_RECV(10, "PR_Recv", "tls_pr_recv", "nspr", "read"),
    /** Go: a uprobe on the entry (Write: the event), and on each RET of Read; never a uretprobe (see GoTlsAttacher). */
    GO_WRITE(11, "crypto/tls.(*Conn).Write", "tls_go_write", "go", "write"),
    GO_READ(12, "crypto/tls.(*Conn).Read", "tls_go_read", "go", "read");

    /** The uretprobe program every C library function returns through. */
    public static final String RETURN_PROGRAM = "tls_return";
    /** The program on every RET of Go's functions. */
    public static final String GO_RETURN_PROGRAM = "tls_go_return";

    private final int id;
    private final String symbol;
    private final String program;
    private final String library;
    private final String direction;

    TlsFunction(int id, String symbol, String program, String library, String direction) {
        this.id = id;
        this.symbol = symbol;
        this.program = program;
        this.library = library;
        this.direction = direction;
    }

    public int id() {
        return id;
    }

    /** The exported name, as in the library's dynamic symbol table. */
    public String symbol() {
        return symbol;
    }

    /** The uprobe program that stashes this function's arguments. */
    public String program() {
        return program;
    }

    /** {@code openssl}, {@code gnutls}, {@code nspr} or {@code go}: whose API this is. */
    public String library() {
        return library;
    }

    /** {@code write} (plaintext the process sends) or {@code read} (plaintext it received). */
    public String direction() {
        return direction;
    }

    /** Go's crypto/tls, hooked in Go executables rather than in a shared library. */
    public boolean isGo() {
        return library.equals("go");
    }

    public boolean isWrite() {
        return direction.equals("write");
    }

    public static Optional<TlsFunction> byId(int id) {
        for (TlsFunction f : values()) {
            if (f.id == id) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
