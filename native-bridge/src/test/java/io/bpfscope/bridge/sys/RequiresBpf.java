package io.bpfscope.bridge.sys;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test (class or method) that loads BPF or otherwise needs root. It is
 * tagged {@code bpf}, and runs only where {@link Privileges#bpfTestsCanRun()}
 * says it can: skipped when not root, but failed under CI=true, where not being
 * root is an error. Shared by every module's tests through native-bridge's test jar.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("bpf")
@ExtendWith(RequiresBpfCondition.class)
public @interface RequiresBpf {
    /** What needs root, for the skip message. */
    String value() default "loading BPF needs root";
}
