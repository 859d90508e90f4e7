package io.bpfscope.cli;

import io.bpfscope.capture.file.CaptureSource;
import java.io.IOException;
import java.util.List;

/** The FILE arguments of {@code show}, {@code info} and {@code export}: one capture, or several merged by time. */
final class CaptureInputs {
    private CaptureInputs() {
    }

    /** See {@link CaptureSource#ofAll}; stdin ({@code -}) may be named once. */
    static CaptureSource open(List<String> inputs, boolean rereadable) throws IOException, UserError {
        if (inputs.stream().filter("-"::equals).count() > 1) {
            throw new UserError(ExitCodes.USAGE, "stdin (-) can be read only once");
        }
        return CaptureSource.ofAll(inputs, rereadable);
    }
}
