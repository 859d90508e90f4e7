package io.bpfscope.ui;

import io.bpfscope.ui.generic.FunctopViewModel;
import io.bpfscope.ui.generic.FunctopWindow;
import io.bpfscope.ui.generic.TlsCoverageDialog;
import javafx.scene.Node;

/** Opens the windows of the generic probes from the main window's menus. FX thread only. */
public final class GenericTools {
    private GenericTools() {
    }

    /** A functop window; closing it detaches its probes. */
    public static void showFunctop(Node anchor, MainViewModel viewModel) {
        new FunctopWindow(anchor.getScene().getWindow(), new FunctopViewModel(viewModel.tasks()),
                viewModel.probePanel().pathChooser()).show();
    }

    /** A functop window started on a process (a number) or a library, for the functions {@code regex} finds. */
    public static void showFunctop(Node anchor, MainViewModel viewModel, String pidOrLibrary, String regex) {
        FunctopViewModel functop = new FunctopViewModel(viewModel.tasks());
        (pidOrLibrary.chars().allMatch(Character::isDigit) ? functop.pidProperty() : functop.libraryProperty())
                .set(pidOrLibrary);
        functop.matchProperty().set(regex);
        new FunctopWindow(anchor.getScene().getWindow(), functop, viewModel.probePanel().pathChooser()).show();
        functop.start();
    }

    /** The TLS coverage map, whose one click attaches tls through the probe panel. */
    public static void showTlsCoverage(Node anchor, MainViewModel viewModel) {
        new TlsCoverageDialog(anchor.getScene().getWindow(), viewModel.tasks(), viewModel.isOffline(),
                viewModel.hostFacts(), finding -> viewModel.probePanel().traceTls(finding.pid(), finding.attachTo())).show();
    }
}
