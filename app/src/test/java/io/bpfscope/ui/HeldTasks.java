package io.bpfscope.ui;

import io.bpfscope.ui.common.TaskRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * A {@link TaskRunner} for tests that holds each task until the test finishes it, so a test sees
 * what a view model shows while its work is still running, and can finish tasks out of order.
 */
public final class HeldTasks implements TaskRunner {
    private final List<Runnable> held = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    @Override
    public <T> void run(String name, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        names.add(name);
        held.add(() -> TaskRunner.onCallingThread().run(name, work, onSuccess, onFailure));
    }

    /** The names of the tasks held, in the order they were started. */
    public List<String> names() {
        return List.copyOf(names);
    }

    /** Runs the task started {@code index}-th (0 first), work and callback, on this thread. */
    public void finish(int index) {
        Runnable task = held.set(index, null);
        if (task == null) {
            throw new IllegalStateException("task " + index + " (" + names.get(index) + ") ran already");
        }
        task.run();
    }

    /** Runs every task not run yet, oldest first. */
    public void finishAll() {
        for (int i = 0; i < held.size(); i++) {
            if (held.get(i) != null) {
                finish(i);
            }
        }
    }
}
