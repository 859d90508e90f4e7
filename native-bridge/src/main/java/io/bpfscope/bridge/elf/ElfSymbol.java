package io.bpfscope.bridge.elf;

/**
 * One defined symbol from {@code .symtab} or {@code .dynsym}. Immutable.
 *
 * @param name           the bare name, without any {@code @VERSION} suffix
 * @param version        the symbol version such as {@code GLIBC_2.34}, or {@code ""} if unversioned
 * @param defaultVersion whether a plain reference to {@code name} binds here: true for
 *                       {@code name@@VERSION} and for unversioned symbols, false for hidden
 *                       {@code name@VERSION} compatibility symbols
 * @param value          {@code st_value}: the virtual address in executables and shared objects
 * @param type           {@code STT_*}, e.g. {@link #STT_FUNC}
 * @param binding        {@code STB_*}, e.g. {@link #STB_GLOBAL}
 * @param dynamic        whether it came from {@code .dynsym}
 */
public record ElfSymbol(
        String name, String version, boolean defaultVersion, long value, long size,
        int type, int binding, boolean dynamic) {

    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_GNU_IFUNC = 10;
    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;

    /** Functions and GNU indirect functions (whose address is the resolver, as libbpf also uses). */
    public boolean isFunction() {
        return type == STT_FUNC || type == STT_GNU_IFUNC;
    }

    public boolean isVersioned() {
        return !version.isEmpty();
    }

    /** The name as readelf prints it: {@code name}, {@code name@VERSION} or {@code name@@VERSION}. */
    public String qualifiedName() {
        if (version.isEmpty()) {
            return name;
        }
        return name + (defaultVersion ? "@@" : "@") + version;
    }
}
