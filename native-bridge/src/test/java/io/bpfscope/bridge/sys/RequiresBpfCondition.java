package io.bpfscope.bridge.sys;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The root check of {@link RequiresBpf}, in one place. Not root: disabled with
 * the annotation's reason. Not root under CI=true: {@link Privileges#bpfTestsCanRun()}
 * throws, and JUnit reports the test as failed, not skipped.
 */
final class RequiresBpfCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<RequiresBpf> annotation = context.getElement().flatMap(RequiresBpfCondition::find);
        if (annotation.isEmpty()) {
            return ConditionEvaluationResult.enabled("no @RequiresBpf here");
        }
        if (Privileges.bpfTestsCanRun()) {
            return ConditionEvaluationResult.enabled("root");
        }
        return ConditionEvaluationResult.disabled(annotation.get().value());
    }

    private static Optional<RequiresBpf> find(AnnotatedElement element) {
        return AnnotationSupport.findAnnotation(element, RequiresBpf.class);
    }
}
