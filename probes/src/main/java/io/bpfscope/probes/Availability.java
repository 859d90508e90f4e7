package io.bpfscope.probes;

/** Whether a probe can attach on this host, and if not, why (one sentence with the fix). */
public record Availability(boolean available, String reason) {
    public static Availability yes() {
        return new Availability(true, "");
    }

    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
