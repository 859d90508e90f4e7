package io.bpfscope.ui;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Runs work off the UI thread and reports back on it. Tests use a runner
 * that works on the calling thread.
 */
public interface TaskRunner {
    <T> void run(String name, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);

    /**
     * Runs {@code action} on the UI thread soon (progress from a running task).
     * A runner that works on the calling thread runs it at once.
     */
    default void post(Runnable action) {
        action.run();
    }
}
