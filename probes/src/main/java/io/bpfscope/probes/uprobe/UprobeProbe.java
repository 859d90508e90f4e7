package io.bpfscope.probes.uprobe;

import io.bpfscope.probes.EventKind;
import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.BpfLink;
import io.bpfscope.bridge.BpfObject;
import io.bpfscope.bridge.elf.ElfFile;
import io.bpfscope.bridge.elf.ElfSymbolException;
import io.bpfscope.bridge.sys.Errno;
import io.bpfscope.probes.Availability;
import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.FieldSpec;
import io.bpfscope.probes.ProbeDeclaration;
import io.bpfscope.probes.ProbeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Any user function, {@code uprobe:PATH:SYMBOL} (at entry) or
 * {@code uretprobe:PATH:SYMBOL} (at return, with the entry's arguments and
 * the latency): uprobe.bpf.o attached to the symbol's file offset in PATH, a
 * binary or a library. Optionally a buffer an argument points to becomes the
 * payload ({@link BufferCapture}). Immutable and thread-safe; equal when they
 * name the same function the same way.
 */
public final class UprobeProbe implements Probe {
    public static final ProbeDeclaration DECLARATION = ProbeDeclaration.builder()
            .field(FieldSpec.text("function", "the function traced"))
            .field(FieldSpec.text("binary", "the file it is in"))
            .field(FieldSpec.text("phase", "entry or return"))
            .fields(java.util.stream.IntStream.range(0, 6).mapToObj(i -> FieldSpec.number("arg" + i,
                    "argument " + i + " as a 64-bit register value")).toList())
            .field(FieldSpec.number("ret", "return: the return value"))
            .field(FieldSpec.number("latency_ns", "ns", "return: since the entry"))
            .field(FieldSpec.flag("entry_seen", "return: the probe saw the entry (the arguments are known)"))
            .field(FieldSpec.text("buf_addr", "with --buffer-arg: the buffer's address as hex"))
            .field(FieldSpec.number("buf_size", "bytes", "with --buffer-arg: the buffer's length"))
            .field(FieldSpec.flag("read_failed", "with --buffer-arg: the buffer could not be read"))
            .build();

    public static final String UPROBE = "uprobe:";
    public static final String URETPROBE = "uretprobe:";

    private final Path binary;
    private final String symbol;
    private final boolean retprobe;
    private final BufferCapture buffer;
    private final UprobeDecoder decoder;

    public UprobeProbe(Path binary, String symbol, boolean retprobe, BufferCapture buffer) {
        this.binary = binary.toAbsolutePath().normalize();
        this.symbol = symbol;
        this.retprobe = retprobe;
        this.buffer = buffer;
        this.decoder = new UprobeDecoder(target());
    }

    /** Whether {@code spec} is meant for this class: it starts with {@code uprobe:} or {@code uretprobe:}. */
    public static boolean isSpec(String spec) {
        return spec.startsWith(UPROBE) || spec.startsWith(URETPROBE);
    }

    /**
     * Reads {@code uprobe:PATH:SYMBOL} or {@code uretprobe:PATH:SYMBOL}; PATH may hold colons,
     * the symbol (with an optional {@code @VERSION}) is after the last one.
     *
     * @throws IllegalArgumentException when {@code spec} is not of that form
     */
    public static UprobeProbe parse(String spec, BufferCapture buffer) {
        boolean ret = spec.startsWith(URETPROBE);
        if (!ret && !spec.startsWith(UPROBE)) {
            throw new IllegalArgumentException("'" + spec + "' is not uprobe:PATH:SYMBOL or uretprobe:PATH:SYMBOL");
        }
        String rest = spec.substring(ret ? URETPROBE.length() : UPROBE.length());
        int colon = rest.lastIndexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) {
            throw new IllegalArgumentException("'" + spec + "' is not " + (ret ? "uretprobe" : "uprobe")
                    + ":PATH:SYMBOL, e.g. uprobe:/usr/lib/x86_64-linux-gnu/libc.so.6:getaddrinfo (see: bpfscope symbols PATH)");
        }
        return new UprobeProbe(Path.of(rest.substring(0, colon)), rest.substring(colon + 1), ret, buffer);
    }

    public Path binary() {
        return binary;
    }

    public String symbol() {
        return symbol;
    }

    public boolean retprobe() {
        return retprobe;
    }

    public BufferCapture buffer() {
        return buffer;
    }

    @Override
    public java.util.Map<String, String> parameters() {
        return buffer.toParameters();
    }

    @Override
    public String name() {
        return (retprobe ? URETPROBE : UPROBE) + target();
    }

    @Override
    public String description() {
        return retprobe ? "any user function, at return: arguments, return value, latency, a buffer"
                        : "any user function, at entry: arguments, a buffer";
    }

    @Override
    public List<String> attachPoints() {
        return List.of(name());
    }

    @Override
    public int kind() {
        return EventKind.UPROBE;
    }

    @Override
    public ProbeDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public EventDecoder decoder() {
        return decoder;
    }

    @Override
    public String objectName() {
        return "uprobe.bpf.o";
    }

    /** {@code PATH:SYMBOL}. */
    @Override
    public String target() {
        return binary + ":" + symbol;
    }

    @Override
    public Availability availability() {
        if (!Files.isReadable(binary)) {
            return Availability.no(binary + ": no such readable file");
        }
        try {
            ElfFile.open(binary).uprobeOffset(symbol);
            return Availability.yes();
        } catch (ElfSymbolException e) {
            return Availability.no(e.getMessage() + " (list them with: bpfscope symbols " + binary + ")");
        } catch (IOException e) {
            return Availability.no(binary + ": " + e.getMessage());
        }
    }

    @Override
    public void configure(BpfObject object, ProbeOptions options) throws BpfException {
        object.setConstant("emit_on_entry", retprobe ? 0 : 1);
        if (buffer.lengthArg() == BufferCapture.LENGTH_FROM_RETURN && !retprobe) {
            throw new BpfException("configure uprobe", target(), Errno.EINVAL,
                    "a buffer whose length is the return value needs a uretprobe: use uretprobe:" + target(), "");
        }
        object.setConstant("buffer_arg", buffer.bufferArgConstant());
        object.setConstant("length_arg", buffer.lengthArgConstant());
        object.setConstant("buffer_len", buffer.fixedLength());
        if (!retprobe) {
            object.program("uprobe_return").setAutoload(false);
        }
    }

    @Override
    public List<BpfLink> attach(BpfObject object, ProbeOptions options, Consumer<String> warnings) throws BpfException {
        long offset;
        try {
            offset = ElfFile.open(binary).uprobeOffset(symbol);
        } catch (ElfSymbolException e) {
            throw new BpfException("attach uprobe", target(), Errno.ENOENT,
                    e.getMessage() + " (see: bpfscope symbols " + binary + ")", "");
        } catch (IOException e) {
            throw new BpfException("attach uprobe", target(), Errno.ENOENT, "cannot read " + binary + ": " + e.getMessage(), "");
        }
        // The pid filter is also the uprobe's: other processes never enter the program.
        int pid = options.pid() > 0 ? options.pid() : -1;
        String path = binary.toString();
        List<BpfLink> links = new ArrayList<>();
        try {
            links.add(object.program("uprobe_entry").attachUprobe(path, offset, pid, false, target()));
            if (retprobe) {
                links.add(object.program("uprobe_return").attachUprobe(path, offset, pid, true, target()));
            }
        } catch (BpfException e) {
            links.forEach(BpfLink::close);
            throw e;
        }
        return links;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UprobeProbe other && other.binary.equals(binary) && other.symbol.equals(symbol)
                && other.retprobe == retprobe && other.buffer.equals(buffer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(binary, symbol, retprobe, buffer);
    }

    @Override
    public String toString() {
        return name();
    }
}
