package io.bpfscope.ui.common;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.concurrent.Task;

/** Runs work as a {@link Task} on a background thread; callbacks on the FX thread. Thread-safe. */
public final class FxTaskRunner implements TaskRunner {
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "bpfscope-ui-task");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public <T> void run(String name, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                return work.call();
            }
        };
        task.setOnSucceeded(e -> onSuccess.accept(task.getValue()));
        task.setOnFailed(e -> onFailure.accept(task.getException()));
        executor.submit(task);
    }

    @Override
    public void post(Runnable action) {
        Platform.runLater(action);
    }
}
