package io.bpfscope.ui.generic;

import io.bpfscope.bridge.elf.ElfFile;
import io.bpfscope.bridge.elf.ElfSymbol;
import io.bpfscope.ui.common.TaskRunner;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The Function dialog's symbol list: the functions of a binary or library,
 * parsed from its ELF file through the {@link TaskRunner} (a large library
 * takes a moment), so typing a path keeps the dialog responsive; the answer
 * for a path typed since is dropped. FX thread only.
 */
final class SymbolPicker {
    private final TaskRunner tasks;
    private final SearchList symbols = new SearchList();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper();
    private String wanted;

    SymbolPicker(TaskRunner tasks) {
        this.tasks = tasks;
    }

    SearchList symbols() {
        return symbols;
    }

    /** Why the list is empty (no such file, not ELF, stripped), or empty. */
    ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** True while a file is being read. */
    ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** Lists the functions of the file at {@code text} once read, or says why it cannot. */
    void load(String text) {
        wanted = text;
        loading.set(true);
        problem.set("");
        symbols.setAll(List.of());
        tasks.run("symbols of " + text, () -> functionNames(Path.of(text.strip())), names -> {
            if (text.equals(wanted)) {
                loading.set(false);
                symbols.setAll(names);
                problem.set(names.isEmpty() ? text + " has no function symbols (stripped?)" : "");
            }
        }, failure -> {
            if (text.equals(wanted)) {
                loading.set(false);
                problem.set(text + ": " + failure.getMessage());
            }
        });
    }

    /** The attachable names of the file's functions, sorted. Any thread. */
    private static List<String> functionNames(Path file) throws java.io.IOException {
        ElfFile elf = ElfFile.open(file);
        return elf.functionSymbols().stream().filter(s -> s.value() != 0).map(SymbolPicker::attachName)
                .distinct().sorted().toList();
    }

    /** The name that attaches to this symbol: a versioned one keeps its version unless it is the default. */
    private static String attachName(ElfSymbol symbol) {
        return symbol.isVersioned() && !symbol.defaultVersion() ? symbol.name() + "@" + symbol.version() : symbol.name();
    }
}
