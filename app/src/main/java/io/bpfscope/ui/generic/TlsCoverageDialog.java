package io.bpfscope.ui.generic;

import io.bpfscope.ui.common.Dialogs;
import io.bpfscope.probes.tls.TlsCoverage;
import io.bpfscope.ui.common.TaskRunner;
import java.util.List;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The TLS coverage map: which running processes use TLS and whether the tls
 * probe can see it, with why; one click attaches tls to the chosen process's
 * library. The scan runs as a task.
 */
public final class TlsCoverageDialog {
    private final Stage stage = new Stage();
    private final ObservableList<TlsCoverage.Finding> findings = FXCollections.observableArrayList();
    private final Label status = new Label();
    private final TaskRunner tasks;

    /** @param attach attaches the tls probe to a finding (its pid and library) */
    private final io.bpfscope.capture.helper.HostFacts facts;

    public TlsCoverageDialog(Window owner, TaskRunner tasks, boolean offline, io.bpfscope.capture.helper.HostFacts facts,
                             Consumer<TlsCoverage.Finding> attach) {
        this.facts = facts;
        this.tasks = tasks;
        stage.initOwner(owner);
        stage.setTitle("TLS coverage");
        TableView<TlsCoverage.Finding> table = new TableView<>(findings);
        table.setId("tls-coverage-table");
        table.setPlaceholder(new Label("No running process uses libssl, libgnutls, NSS or a linked-in OpenSSL"));
        table.getColumns().add(ValueColumn.of("PID", 70, TlsCoverage.Finding::pid));
        table.getColumns().add(ValueColumn.of("Command", 120, TlsCoverage.Finding::comm));
        table.getColumns().add(ValueColumn.of("TLS", 120, TlsCoverage.Finding::kind));
        table.getColumns().add(ValueColumn.of("Covered", 80, f -> f.traceable() ? "yes" : "no"));
        table.getColumns().add(ValueColumn.of("Library", 260, TlsCoverage.Finding::library));
        table.getColumns().add(ValueColumn.of("Why", 380, TlsCoverage.Finding::why));
        VBox.setVgrow(table, Priority.ALWAYS);

        Button rescan = new Button("Rescan");
        rescan.setOnAction(e -> scan());
        Button attachButton = new Button("Attach tls to it");
        attachButton.setId("tls-coverage-attach");
        attachButton.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        attachButton.setOnAction(e -> {
            TlsCoverage.Finding chosen = table.getSelectionModel().getSelectedItem();
            if (offline) {
                status.setText("offline: attaching needs root");
            } else if (!chosen.traceable()) {
                status.setText("pid " + chosen.pid() + " cannot be traced: " + chosen.why());
            } else {
                attach.accept(chosen);
                status.setText("attaching tls to " + chosen.attachTo() + " for pid " + chosen.pid() + " (see the probe panel)");
            }
        });
        Region push = new Region();
        HBox.setHgrow(push, Priority.ALWAYS);
        HBox buttons = new HBox(8, rescan, attachButton, push, Dialogs.closeButton(stage, "tls-coverage"));
        VBox root = new VBox(8, table, buttons, status);
        root.setPadding(new Insets(8));
        Scene scene = new Scene(root, 1060, 420);
        stage.setScene(scene);
        Dialogs.closeOnEscape(stage, scene);
    }

    public void show() {
        stage.show();
        stage.toFront();
        scan();
    }

    private void scan() {
        status.setText("scanning /proc…");
        tasks.run("TLS coverage", () -> facts.probeQuery(TlsCoverage.QUERY).stream().map(TlsCoverage.Finding::fromRow).toList(), (List<TlsCoverage.Finding> found) -> {
            findings.setAll(found);
            long traceable = found.stream().filter(TlsCoverage.Finding::traceable).count();
            status.setText(found.size() + " TLS users found, " + traceable + " covered by the tls probe");
        }, failure -> status.setText("the scan failed: " + failure.getMessage()));
    }
}
