package io.bpfscope.ui.common;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Runs work off the UI thread and reports back on it. Tests use
 * {@link #onCallingThread()}, so view models run without a window.
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

    /**
     * A runner that does the work, then its callback, on the calling thread before {@code run}
     * returns: for unit tests of view models (JavaFX properties need no toolkit) and for work that
     * is known to be quick.
     */
    static TaskRunner onCallingThread() {
        return new TaskRunner() {
            @Override
            public <T> void run(String name, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
                T result;
                try {
                    result = work.call();
                } catch (Exception | LinkageError e) {
                    onFailure.accept(e);
                    return;
                }
                onSuccess.accept(result);
            }
        };
    }
}
