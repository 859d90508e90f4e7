package io.bpfscope.ui;

import io.bpfscope.ui.common.FxTaskRunner;
import io.bpfscope.ui.common.StartupTrace;
import io.bpfscope.ui.common.Themes;
import io.bpfscope.ui.common.UiSettings;
import io.bpfscope.ui.sources.SourcesViewModel;
import java.io.InputStream;
import java.util.List;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;

/** The JavaFX entry point; {@link #launchWith} is how the CLI starts it. */
public final class BpfscopeApp extends Application {
    private static volatile List<String> initialSources = List.of();
    private static volatile SourcesViewModel.RemoteDefaults remoteDefaults;
    private static volatile java.util.function.Supplier<String> offlineReason = () -> null;
    private MainWindow window;

    /**
     * Opens the window and blocks until it is closed. {@code sources}: captures to open (files, {@code -},
     * {@code ssh://USER@HOST}; several are merged); {@code remote}: what a remote host records. {@code offline}
     * gives why BPF cannot load here, or null; it is asked once the toolkit is up, so it may still be
     * finding out while JavaFX starts.
     */
    public static void launchWith(List<String> sources, SourcesViewModel.RemoteDefaults remote,
                                  java.util.function.Supplier<String> offline) {
        initialSources = List.copyOf(sources);
        remoteDefaults = remote;
        offlineReason = offline;
        Application.launch(BpfscopeApp.class);
    }

    @Override
    public void start(Stage stage) {
        StartupTrace.mark("JavaFX started");
        UiSettings settings = UiSettings.load(UiSettings.defaultFile());
        String offline = offlineReason.get();
        StartupTrace.mark("settings read, BPF check joined");
        window = new MainWindow(new MainViewModel(offline, new FxTaskRunner(), settings), true);
        StartupTrace.mark("window built");
        double[] size = geometry();
        Scene scene = new Scene(window.root(), size[0], size[1]);
        Themes.apply(scene, settings.darkThemeProperty().get());
        stage.setTitle(window.title());
        window.titleProperty().addListener((obs, old, title) -> stage.setTitle(title));
        try (InputStream icon = BpfscopeApp.class.getResourceAsStream("icons/bpfscope-64.png")) {
            if (icon != null) {
                stage.getIcons().add(new Image(icon));
            }
        } catch (java.io.IOException e) {
            // no icon: the window works without one
        }
        stage.setScene(scene);
        if (System.getenv("BPFSCOPE_UI_GEOMETRY") != null) {
            stage.setX(0);
            stage.setY(0);
        }
        stage.setOnCloseRequest(e -> {
            if (window.viewModel().unsavedEvents() > 0) {
                e.consume();
                window.whenUnsavedHandled("Quitting", stage::close);
            }
        });
        StartupTrace.mark("scene made");
        stage.show();
        StartupTrace.mark("stage shown");
        scene.addPostLayoutPulseListener(new Runnable() {
            @Override
            public void run() {
                StartupTrace.mark("first frame laid out");
                scene.removePostLayoutPulseListener(this);
                javafx.application.Platform.runLater(window::completeLayout); // after that frame is drawn
            }
        });
        StartupActions.from(window).runWhenShown();
        if (remoteDefaults != null) {
            window.viewModel().sources().setDefaults(remoteDefaults);
        }
        window.viewModel().openAll(initialSources);
        StartupTrace.mark("capture opened");
    }

    /** {@code BPFSCOPE_UI_GEOMETRY=WIDTHxHEIGHT} (scripted screenshots), else 1360×860. */
    private static double[] geometry() {
        String text = System.getenv("BPFSCOPE_UI_GEOMETRY");
        if (text != null && text.matches("\\d+x\\d+")) {
            String[] parts = text.split("x");
            return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
        }
        return new double[] {1360, 860};
    }

    @Override
    public void stop() {
        if (window != null) {
            window.viewModel().close();
        }
    }
}
