package io.bpfscope.ui.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import javafx.beans.property.SimpleStringProperty;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A lazy tip is no popup until the pointer comes, then shows as any tooltip does. */
@ExtendWith(ApplicationExtension.class)
class TipsTest {
    private final Button plain = new Button("plain");
    private final Button following = new Button("following");
    private final SimpleStringProperty state = new SimpleStringProperty("ready");

    @Start
    void start(Stage stage) {
        Tips.lazy(plain, "Apply the filter (Enter)");
        Tips.lazy(following, state);
        stage.setScene(new Scene(new HBox(40, plain, following), 300, 80));
        stage.show();
    }

    @Test
    void theTooltipIsMadeOnTheFirstHoverAndShows(FxRobot robot) throws Exception {
        assertThat(plain.getTooltip()).isNull();

        robot.moveTo(plain).moveBy(2, 1);

        assertThat(plain.getTooltip()).isNotNull();
        assertThat(plain.getTooltip().getText()).isEqualTo("Apply the filter (Enter)");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> plain.getTooltip().isShowing());
    }

    @Test
    void aBoundTipFollowsItsText(FxRobot robot) {
        robot.moveTo(following).moveBy(2, 1);
        robot.interact(() -> state.set("Fix first: pid"));
        assertThat(following.getTooltip().getText()).isEqualTo("Fix first: pid");
    }
}
