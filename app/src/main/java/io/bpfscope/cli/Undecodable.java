package io.bpfscope.cli;

import io.bpfscope.probes.MalformedEventException;

/**
 * Records a command could not decode, counted apart from those a filter left
 * out, and said in one line on stderr at the end. Not thread-safe.
 */
final class Undecodable {
    private long count;
    private String first;

    void add(MalformedEventException e) {
        count++;
        first = first == null ? e.getMessage() : first;
    }

    long count() {
        return count;
    }

    /** One line on stderr when there were any. */
    void report() {
        if (count > 0) {
            System.err.println("bpfscope: " + count + (count == 1 ? " record" : " records")
                    + " could not be decoded (first: " + TerminalText.escape(first) + ")");
        }
    }
}
