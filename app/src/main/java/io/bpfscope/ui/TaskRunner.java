package io.bpfscope.ui;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Runs work off the UI thread and reports back on it. Tests use a runner
 * that works on the calling thread.
 */
public interface TaskRunner {
    <T> void run(String name, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);
}
