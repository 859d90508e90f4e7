package io.bpfscope.ui;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The JavaFX entry point; {@link #launchWith} is how the CLI starts it. */
public final class BpfscopeApp extends Application {
    private static volatile String initialFile;
    private static volatile String offlineReason;
    private MainWindow window;

    /** Opens the window and blocks until it is closed. {@code offline} is why BPF cannot load here, or null. */
    public static void launchWith(String file, String offline) {
        initialFile = file;
        offlineReason = offline;
        Application.launch(BpfscopeApp.class);
    }

    @Override
    public void start(Stage stage) {
        window = new MainWindow(new MainViewModel(offlineReason, new FxTaskRunner()));
        Scene scene = new Scene(window.root(), 1200, 760);
        scene.getStylesheets().add(BpfscopeApp.class.getResource("bpfscope.css").toExternalForm());
        stage.setTitle(window.title());
        window.titleProperty().addListener((obs, old, title) -> stage.setTitle(title));
        stage.setScene(scene);
        stage.show();
        if (initialFile != null) {
            window.viewModel().open(initialFile);
        }
    }

    @Override
    public void stop() {
        if (window != null) {
            window.viewModel().close();
        }
    }
}
