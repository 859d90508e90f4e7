package io.bpfscope.cli;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The regular expressions users give to list and match commands. */
final class Patterns {
    private Patterns() {
    }

    /** {@code text} compiled, found anywhere in a name; a bad one is a one-line usage error naming {@code option}. */
    static Pattern compile(String option, String text, int flags) throws UserError {
        try {
            return Pattern.compile(text == null ? "" : text, flags);
        } catch (PatternSyntaxException e) {
            throw new UserError(ExitCodes.USAGE, option + " '" + text + "' is not a regular expression: "
                    + e.getDescription() + " (e.g. '^SSL_' or 'fork')");
        }
    }
}
