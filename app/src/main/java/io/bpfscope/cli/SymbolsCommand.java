package io.bpfscope.cli;

import io.bpfscope.bridge.elf.ElfFile;
import io.bpfscope.bridge.elf.ElfFormatException;
import io.bpfscope.bridge.elf.ElfSymbol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bpfscope symbols PATH [PATTERN]}: the functions of a binary or library, for uprobes and functop. */
@Command(name = "symbols", mixinStandardHelpOptions = true,
        description = "List the function symbols (.dynsym and .symtab) of a binary or library, for "
                + "record -p uprobe:PATH:SYMBOL and functop --lib PATH.")
public final class SymbolsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATH", description = "An ELF executable or shared library.")
    Path path;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATTERN",
            description = "Only names this regular expression finds, e.g. '^SSL_'.")
    String pattern;

    @Override
    public Integer call() throws UserError {
        Pattern match = Patterns.compile("PATTERN", pattern, 0);
        if (!Files.isRegularFile(path)) {
            throw new UserError(ExitCodes.INPUT, path + ": no such file; give the path of a binary or library "
                    + "(e.g. /usr/lib/x86_64-linux-gnu/libc.so.6)");
        }
        ElfFile elf;
        try {
            elf = ElfFile.open(path);
        } catch (ElfFormatException e) {
            throw new UserError(ExitCodes.INPUT, path + " is not an ELF binary or library: " + e.getMessage());
        } catch (IOException e) {
            throw new UserError(ExitCodes.INPUT, path + ": cannot read it: " + e.getMessage());
        }
        List<ElfSymbol> functions = elf.functionSymbols().stream()
                .filter(s -> s.value() != 0 && match.matcher(s.name()).find())
                .sorted(Comparator.comparing(ElfSymbol::name).thenComparing(ElfSymbol::qualifiedName))
                .toList();
        if (functions.isEmpty()) {
            throw new UserError(ExitCodes.INPUT, "no function symbol" + (pattern == null ? "" : " matches '" + pattern + "'")
                    + " in " + path + (elf.sectionHeader(".symtab").isEmpty() ? " (it is stripped: only .dynsym is left)" : ""));
        }
        System.out.printf("%-18s %8s  %-6s %-8s %s%n", "ADDRESS", "SIZE", "BIND", "TABLE", "SYMBOL");
        for (ElfSymbol s : functions) {
            System.out.printf("0x%016x %8d  %-6s %-8s %s%s%n", s.value(), s.size(), binding(s), s.dynamic() ? ".dynsym" : ".symtab",
                    TerminalText.escape(s.qualifiedName()), s.type() == ElfSymbol.STT_GNU_IFUNC ? "  (ifunc: the resolver)" : "");
        }
        return ExitCodes.OK;
    }

    private static String binding(ElfSymbol s) {
        return switch (s.binding()) {
            case ElfSymbol.STB_LOCAL -> "local";
            case ElfSymbol.STB_GLOBAL -> "global";
            case ElfSymbol.STB_WEAK -> "weak";
            default -> Integer.toString(s.binding());
        };
    }
}
