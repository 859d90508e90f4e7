package io.bpfscope.bridge;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits on a condition, never a fixed time: a test goes on as soon as what it
 * waits for has happened, and fails with what it waited for when it does not
 * happen in time. Shared by every module's tests through native-bridge's test jar.
 */
public final class Await {
    private static final long POLL_MILLIS = 20;

    private Await() {
    }

    /** Returns once {@code condition} holds; an AssertionError naming {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        if (!holdsWithin(timeout, condition)) {
            throw new AssertionError("waited " + timeout.toMillis() + " ms for " + what);
        }
    }

    /** Whether {@code condition} came to hold within {@code timeout}, for tests that go on either way. */
    public static boolean holdsWithin(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }
}
