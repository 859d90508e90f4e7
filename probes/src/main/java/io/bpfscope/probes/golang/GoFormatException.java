package io.bpfscope.probes.golang;

/** A Go binary whose runtime tables cannot be read: the sentence says what was wrong. */
public final class GoFormatException extends Exception {
    public GoFormatException(String message) {
        super(message);
    }
}
