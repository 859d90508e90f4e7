package io.bpfscope.ui.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.probes.ProbeDeclaration.ProbeColor;
import javafx.scene.Scene;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Colours and row tints come from the probes' declarations, in both themes. */
@ExtendWith(ApplicationExtension.class)
class ProbeColorsTest {
    private final Region execRow = row("probe-exec");
    private final Region otherRow = row(ProbeColors.rowClass("tracepoint:sched:sched_switch"));
    private Scene scene;

    @Start
    void start(Stage stage) {
        // A control, so the platform's style sheet (modena) is loaded as it is in the window.
        StackPane table = new StackPane(new javafx.scene.control.Label(), execRow, otherRow);
        table.setId("event-table");
        scene = new Scene(table, 200, 100);
        stage.setScene(scene);
        stage.show();
    }

    private static Region row(String probeClass) {
        Region row = new Region();
        row.getStyleClass().addAll("table-row-cell", probeClass);
        row.setStyle("-fx-background-color: -fx-background;"); // paints the looked-up colour the tint sets
        return row;
    }

    @Test
    void theDeclaredHueIsTheTimelinesAndAnUndeclaredOneIsStable() {
        assertThat(ProbeColors.web("exec")).isEqualTo("#2e7d32");
        assertThat(ProbeColors.web("tls")).isEqualTo("#c62828");
        assertThat(ProbeColors.web("tracepoint:sched:sched_switch")).isEqualTo(ProbeColors.web("tracepoint:sched:sched_switch"))
                .matches("#[0-9a-f]{6}");
        assertThat(ProbeColors.rowClass("exec")).isEqualTo("probe-exec");
        assertThat(ProbeColors.rowClass("tracepoint:sched:sched_switch")).isEqualTo("probe-other");
    }

    @Test
    void theRowRulesAreTheOnesTheStyleSheetsHad() {
        assertThat(ProbeColors.rowRules(ProbeColor::lightRow))
                .contains("#event-table .table-row-cell.probe-exec { -fx-background: #eef7ee; }\n")
                .contains("#event-table .table-row-cell.probe-dns { -fx-background: #e9f6f7; }\n");
        assertThat(ProbeColors.rowRules(ProbeColor::darkRow))
                .contains("#event-table .table-row-cell.probe-tls { -fx-background: #321f22; }\n");
    }

    @Test
    void aRowIsTintedInTheLightAndTheDarkTheme(FxRobot robot) {
        robot.interact(() -> Themes.apply(scene, false));
        assertThat(background(robot, execRow)).isEqualTo(Color.web("#eef7ee"));
        assertThat(background(robot, otherRow)).isNotEqualTo(Color.web("#eef7ee"));
        robot.interact(() -> Themes.apply(scene, true));
        assertThat(background(robot, execRow)).isEqualTo(Color.web("#1f2b21"));
    }

    /** The row's fill: its -fx-background. */
    private static Object background(FxRobot robot, Region row) {
        robot.interact(row::applyCss);
        var fills = row.getBackground().getFills();
        BackgroundFill last = fills.get(fills.size() - 1);
        return last.getFill();
    }
}
