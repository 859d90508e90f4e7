package io.bpfscope.cli;

import io.bpfscope.bridge.sys.Privileges;
import io.bpfscope.capture.helper.CaptureHelper;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code bpfscope helper}: the capture helper, as a window that runs as root starts it. Not for
 * people: it reads commands on stdin and writes a capture stream on stdout (see HelperProtocol).
 */
@Command(name = "helper", hidden = true, description = "The privileged capture helper that the window talks to.")
public final class HelperCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        if (!Privileges.isRoot()) {
            throw new UserError(ExitCodes.PROBES, "the capture helper loads BPF and must run as root");
        }
        FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true)); // stdout carries the capture only
        // The window that runs as root started us (HelperConnection.spawn): it is our parent.
        long window = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(ProcessHandle.current().pid());
        new CaptureHelper(new FileInputStream(FileDescriptor.in), stdout, window).serve();
        return ExitCodes.OK;
    }
}
