package io.bpfscope.ui;

import javafx.scene.control.CheckBox;
import org.testfx.api.FxRobot;

/**
 * In a window test the test JVM is the window, so the processes a test starts are the window's
 * children, which bpfscope leaves out of its captures by default. Tests that watch such a process
 * tick "Trace bpfscope itself", as a user who wants them would.
 */
public final class OwnProcesses {
    private OwnProcesses() {
    }

    public static void traceThem(FxRobot robot) {
        CheckBox includeSelf = robot.lookup("#option-include-self").queryAs(CheckBox.class);
        robot.interact(() -> includeSelf.setSelected(true));
    }
}
