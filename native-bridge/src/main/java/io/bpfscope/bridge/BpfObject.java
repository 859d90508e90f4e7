package io.bpfscope.bridge;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.NativeLongByReference;
import io.bpfscope.bridge.btf.Btf;
import io.bpfscope.bridge.btf.DataSection;
import io.bpfscope.bridge.elf.ElfFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A BPF object opened from bytes: set its constants, tune its maps, then
 * {@link #load()} it into the kernel and attach its programs. Closing it
 * unloads the programs and frees the maps; close the links first.
 *
 * <p>Not thread-safe: one owner configures, loads and closes it.
 */
public final class BpfObject implements AutoCloseable {
    private static final Pattern FAILED_PROGRAM = Pattern.compile("prog '([^']+)': (?:BPF program load failed|failed to load)");
    private static final Pattern PROGRAM_LOG = Pattern.compile("-- BEGIN PROG LOAD LOG --\\R(.*?)-- END PROG LOAD LOG --", Pattern.DOTALL);

    private final LibBpf lib;
    private final String name;
    private final Memory elfBytes; // libbpf reads the ELF from here until load; kept for the object's life
    private final Btf btf;
    private Pointer handle;
    private boolean loaded;

    private BpfObject(LibBpf lib, String name, Memory elfBytes, Btf btf, Pointer handle) {
        this.lib = lib;
        this.name = name;
        this.elfBytes = elfBytes;
        this.btf = btf;
        this.handle = handle;
    }

    /** Opens (parses, does not load) an object; {@code name} names it in errors and prefixes its maps. */
    public static BpfObject open(String name, byte[] elf) throws BpfException {
        LibBpf lib = LibBpf.load();
        Btf btf;
        try {
            btf = Btf.fromElf(ElfFile.parse(elf, name));
        } catch (IOException e) {
            throw new BpfException("open", name, 0, "the object file is damaged: " + e.getMessage(), "");
        }
        Memory memory = new Memory(elf.length);
        memory.write(0, elf, 0, elf.length);
        LibbpfLog.begin();
        Pointer handle = lib.bpf_object__open_mem(memory, new NativeLong(elf.length), new LibBpf.OpenOptions(name));
        int errno = Native.getLastError();
        String log = LibbpfLog.end();
        if (handle == null) {
            throw BpfException.of("open", name, errno, log);
        }
        return new BpfObject(lib, name, memory, btf, handle);
    }

    public String name() {
        return name;
    }

    /** The object's own type information (its event structs, its .rodata layout). */
    public Btf btf() {
        return btf;
    }

    /** Sets an integer constant in .rodata ({@code const volatile} in C); only before load. */
    public void setConstant(String variable, long value) throws BpfException {
        DataSection.Variable var = rodataVariable(variable);
        Pointer rodata = rodata();
        switch (var.size()) {
            case 1: rodata.setByte(var.offset(), (byte) value); break;
            case 2: rodata.setShort(var.offset(), (short) value); break;
            case 4: rodata.setInt(var.offset(), (int) value); break;
            case 8: rodata.setLong(var.offset(), value); break;
            default:
                throw new BpfException("set constant", name + ":" + variable, 0,
                        "it is " + var.size() + " bytes, not an integer", "");
        }
    }

    /** Sets a char-array constant; the text is cut to fit and NUL-terminated. */
    public void setConstant(String variable, String text) throws BpfException {
        DataSection.Variable var = rodataVariable(variable);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[var.size()];
        System.arraycopy(bytes, 0, padded, 0, Math.min(bytes.length, var.size() - 1));
        rodata().write(var.offset(), padded, 0, padded.length);
    }

    /** True when the object declares this .rodata constant. */
    public boolean hasConstant(String variable) {
        return btf.dataSection(".rodata").flatMap(ds -> ds.variables().stream()
                .filter(v -> v.name().equals(variable)).findFirst()).isPresent();
    }

    private DataSection.Variable rodataVariable(String variable) throws BpfException {
        requireOpen("set constant");
        if (loaded) {
            throw new BpfException("set constant", name + ":" + variable, 0, "constants are fixed once loaded", "");
        }
        Optional<DataSection.Variable> found = btf.dataSection(".rodata").flatMap(ds -> ds.variables().stream()
                .filter(v -> v.name().equals(variable)).findFirst());
        return found.orElseThrow(() -> new BpfException("set constant", name + ":" + variable, 0,
                "the object has no such constant in .rodata", ""));
    }

    private Pointer rodata() throws BpfException {
        Pointer map = lib.bpf_object__find_map_by_name(handle, ".rodata");
        if (map == null) {
            throw new BpfException("set constant", name, 0, "the object has no .rodata", "");
        }
        Pointer data = lib.bpf_map__initial_value(map, new NativeLongByReference());
        if (data == null) {
            throw new BpfException("set constant", name, 0, "libbpf gave no .rodata image", "");
        }
        return data;
    }

    /** A map by its name in the C source. */
    public BpfMap map(String mapName) throws BpfException {
        requireOpen("find map");
        Pointer map = lib.bpf_object__find_map_by_name(handle, mapName);
        if (map == null) {
            throw new BpfException("find map", name + ":" + mapName, 0, "the object has no such map", "");
        }
        return new BpfMap(lib, name + ":" + mapName, map);
    }

    /** A map by name, or empty when the object has none by that name. */
    public Optional<BpfMap> findMap(String mapName) throws BpfException {
        requireOpen("find map");
        Pointer map = lib.bpf_object__find_map_by_name(handle, mapName);
        return map == null ? Optional.empty() : Optional.of(new BpfMap(lib, name + ":" + mapName, map));
    }

    /** CPUs the kernel may run BPF on: the entries a per-CPU scratch map needs. */
    public int possibleCpus() throws BpfException {
        int cpus = lib.libbpf_num_possible_cpus();
        if (cpus <= 0) {
            throw BpfException.of("count CPUs", name, -cpus, "");
        }
        return cpus;
    }

    /** A program by its function name in the C source. */
    public BpfProgram program(String programName) throws BpfException {
        requireOpen("find program");
        Pointer prog = lib.bpf_object__find_program_by_name(handle, programName);
        if (prog == null) {
            throw new BpfException("find program", name + ":" + programName, 0, "the object has no such program", "");
        }
        return new BpfProgram(lib, name, prog);
    }

    public List<BpfProgram> programs() throws BpfException {
        requireOpen("list programs");
        List<BpfProgram> programs = new ArrayList<>();
        for (Pointer p = lib.bpf_object__next_program(handle, null); p != null; p = lib.bpf_object__next_program(handle, p)) {
            programs.add(new BpfProgram(lib, name, p));
        }
        return programs;
    }

    /**
     * Loads every program that is set to autoload. When the verifier says no,
     * the exception carries its log.
     */
    public void load() throws BpfException {
        requireOpen("load");
        LibbpfLog.begin();
        int rc = lib.bpf_object__load(handle);
        String log = LibbpfLog.end();
        if (rc < 0) {
            Matcher verifier = PROGRAM_LOG.matcher(log);
            if (verifier.find()) {
                Matcher program = FAILED_PROGRAM.matcher(log);
                throw new VerifierException(name, program.find() ? program.group(1) : "", -rc, verifier.group(1), log);
            }
            throw BpfException.of("load", name, -rc, log);
        }
        loaded = true;
    }

    public boolean isLoaded() {
        return loaded;
    }

    private void requireOpen(String operation) throws BpfException {
        if (handle == null) {
            throw new BpfException(operation, name, 0, "the object is closed", "");
        }
    }

    /** Unloads the programs and frees the maps. Idempotent. */
    @Override
    public void close() {
        if (handle != null) {
            lib.bpf_object__close(handle);
            handle = null;
            elfBytes.close();
        }
    }
}
