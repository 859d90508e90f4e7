package io.bpfscope.bridge.elf;

/**
 * A symbol as a user writes it: {@code name}, {@code name@VERSION} (that version, default or
 * hidden) or {@code name@@VERSION} (only the default version). An empty {@code version} means
 * any version.
 */
record SymbolName(String name, String version, boolean defaultOnly) {

    static SymbolName parse(String text) {
        int mark = text.indexOf('@');
        if (mark <= 0) {
            return new SymbolName(text, "", false);
        }
        boolean defaultOnly = text.startsWith("@@", mark);
        String version = text.substring(mark + (defaultOnly ? 2 : 1));
        // "foo@" names nothing sensible; keep it whole so the "no function" message shows it as typed.
        if (version.isEmpty()) {
            return new SymbolName(text, "", false);
        }
        return new SymbolName(text.substring(0, mark), version, defaultOnly);
    }

    boolean hasVersion() {
        return !version.isEmpty();
    }

    boolean matches(ElfSymbol symbol) {
        return symbol.name().equals(name)
                && (version.isEmpty() || symbol.version().equals(version) && (!defaultOnly || symbol.defaultVersion()));
    }

    @Override
    public String toString() {
        return version.isEmpty() ? name : name + (defaultOnly ? "@@" : "@") + version;
    }
}
