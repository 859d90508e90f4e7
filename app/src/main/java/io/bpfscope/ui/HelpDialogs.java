package io.bpfscope.ui;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.TextArea;
import javafx.stage.Window;

/** The Help menu's two sheets: the filter syntax and the keyboard shortcuts. */
final class HelpDialogs {
    private HelpDialogs() {
    }

    static void showFilterHelp(Window owner) {
        info(owner, "Display filter syntax", String.join("\n",
                "pid == 1234 && comm contains \"ssh\"",
                "probe == exec && argv contains \"-la\"",
                "probe == tls && payload contains \"HTTP/1.1\" && latency_ns > 10ms",
                "daddr in {10.0.0.0/8 192.168.0.0/16} && !(dport in {53 443})",
                "path matches \"^/etc/(passwd|shadow)$\" && error",
                "time >= 10:43 && time < 10:45",
                "",
                "Fields: probe seq time pid tid uid comm ppid len payload, and every field a probe reports.",
                "Operators: == != < <= > >= contains matches in {…} && || !",
                "Right-click a cell or a field: Apply as filter. docs/filters.md has the whole language."));
    }

    static void showShortcuts(Window owner) {
        info(owner, "Keyboard shortcuts", String.join("\n",
                "Ctrl+O   open a capture            Ctrl+S   save the capture",
                "Ctrl+E   export                    Ctrl+F   the display filter",
                "Ctrl+G   go to event (seq)         Space    pause / resume autoscroll",
                "Ctrl+W   close the capture (a secondary window: Escape or Ctrl+W closes it)",
                "Ctrl+Shift+F  follow the selected event's stream",
                "Timeline: drag shows a span, click goes to the nearest event, wheel zooms, shift-drag pans."));
    }

    /** Help > About: the version, the kernel, libbpf's version, where the log is. */
    static void showAbout(Window owner) {
        String log = System.getProperty("bpfscope.logFile"); // set by cli.Logging when it writes one
        info(owner, "About bpfscope", String.join("\n",
                "bpfscope " + io.bpfscope.capture.live.HostInfo.bpfscopeVersion()
                        + " — a desktop trace viewer for eBPF",
                "",
                "kernel   " + io.bpfscope.capture.live.HostInfo.kernelRelease(),
                "libbpf   " + libbpfVersion(),
                "Java     " + System.getProperty("java.version") + ", JavaFX " + System.getProperty("javafx.runtime.version"),
                "log      " + (log == null ? "none (run with --verbose to see the log on stderr)" : log),
                "",
                "Docs: README.md and docs/ in the source tree."));
    }

    /** The libbpf the capture binds, e.g. {@code v1.1}, or why there is none. */
    static String libbpfVersion() {
        try {
            return io.bpfscope.bridge.LibBpf.load().libbpf_version_string();
        } catch (io.bpfscope.bridge.BpfException | UnsatisfiedLinkError e) {
            return "not found (" + e.getMessage() + ")";
        }
    }

    private static void info(Window owner, String title, String text) {
        Alert alert = new Alert(Alert.AlertType.INFORMATION, "", ButtonType.CLOSE);
        alert.initOwner(owner);
        alert.setTitle("bpfscope — " + title);
        alert.setHeaderText(title);
        TextArea area = new TextArea(text);
        area.setEditable(false);
        area.getStyleClass().add("monospace");
        area.setPrefSize(720, 240);
        alert.getDialogPane().setContent(area);
        alert.setResizable(true);
        alert.show();
    }
}
