package io.bpfscope.ui;

import java.util.ArrayList;
import java.util.List;
import javafx.animation.PauseTransition;
import javafx.util.Duration;

/**
 * Steps the window takes by itself once the first capture is shown, for
 * scripted screenshots (assets/screenshots/render.sh) and demos. Read from
 * {@code BPFSCOPE_UI_SHOW} or {@code -Dbpfscope.ui.show}: steps separated by
 * {@code ;}, e.g. {@code select=42;find=GET;follow}. Steps: {@code attach=exec,tls}
 * (first, live), {@code wait}, {@code select=SEQ},
 * {@code filter=TEXT}, {@code find=TEXT} (in the hex pane), {@code follow},
 * {@code stats}, {@code dark}, {@code tls-map}, {@code functop=PID_OR_LIBRARY,REGEX},
 * {@code save=PATH} (the capture on screen, as File > Save does), {@code quit}; {@code attach}
 * also takes {@code tracepoint:GROUP:NAME} and {@code uprobe:PATH:SYMBOL}. FX thread only.
 */
final class StartupActions {
    private static final Duration STEP = Duration.millis(700);

    private final MainWindow window;
    private final List<String> steps;

    private StartupActions(MainWindow window, List<String> steps) {
        this.window = window;
        this.steps = steps;
    }

    /** The steps asked for, or none. */
    static StartupActions from(MainWindow window) {
        String text = System.getProperty("bpfscope.ui.show", System.getenv("BPFSCOPE_UI_SHOW"));
        List<String> steps = new ArrayList<>();
        if (text != null) {
            for (String step : text.split(";")) {
                if (!step.isBlank()) {
                    steps.add(step.strip());
                }
            }
        }
        return new StartupActions(window, steps);
    }

    /**
     * Runs the steps, one every {@link #STEP}, after the first capture is on
     * screen; steps that begin with {@code attach} start at once (live).
     */
    private boolean started;

    void runWhenShown() {
        if (steps.isEmpty()) {
            return;
        }
        if (steps.get(0).startsWith("attach=")) {
            next(0);
            return;
        }
        MainViewModel viewModel = window.viewModel();
        viewModel.captureProperty().addListener((obs, old, capture) -> {
            if (capture.isFile() && !started) {
                started = true; // once: a step may open another file
                next(0);
            }
        });
    }

    private void next(int index) {
        if (index >= steps.size()) {
            return;
        }
        PauseTransition wait = new PauseTransition(STEP);
        // run after the pulse: a step may ask a question (showAndWait), which an animation's handler may not
        wait.setOnFinished(e -> javafx.application.Platform.runLater(() -> {
            next(index + 1);
            run(steps.get(index));
        }));
        wait.play();
    }

    private void run(String step) {
        MainViewModel viewModel = window.viewModel();
        String name = step.contains("=") ? step.substring(0, step.indexOf('=')) : step;
        String value = step.contains("=") ? step.substring(step.indexOf('=') + 1) : "";
        switch (name) {
            case "attach":
                // tick the named probes (comma-separated) and attach them
                java.util.Set<String> names = java.util.Set.of(value.split(","));
                viewModel.probes().forEach(row -> row.selectedProperty().set(names.contains(row.probe().name())));
                // tracepoint:GROUP:NAME, uprobe:PATH:SYMBOL...: added to the panel, ticked
                names.stream().filter(n -> n.contains(":")).forEach(n -> io.bpfscope.probes.catalog.ProbeCatalog.find(n)
                        .ifPresent(viewModel.probePanel()::add));
                viewModel.attachSelected();
                break;
            case "wait":
                break; // one more step's pause
            case "detach":
                viewModel.detachSelected();
                break;
            case "open":
                window.openFile(value); // asks Save / Discard / Cancel first when events are unsaved
                break;
            case "option": {
                // option=PROBE,FIELD,TEXT: typed into the probe's option (pid tid uid comm max-payload)
                String[] parts = value.split(",", 3);
                io.bpfscope.ui.probes.ProbeRow row = viewModel.probes().stream()
                        .filter(r -> r.probe().name().equals(parts[0])).findFirst().orElseThrow();
                viewModel.probePanel().editingProperty().set(row);
                row.selectedProperty().set(true);
                (switch (parts[1]) {
                    case "tid" -> row.tidProperty();
                    case "uid" -> row.uidProperty();
                    case "comm" -> row.commProperty();
                    case "max-payload" -> row.maxPayloadProperty();
                    default -> row.pidProperty();
                }).set(parts[2]);
                break;
            }
            case "span": {
                // span=0.3,0.6: drags that share of the capture's time on the timeline
                String[] share = value.split(",");
                long size = viewModel.onScreen().get().store().size();
                java.time.Instant first = viewModel.record(1).time();
                java.time.Instant last = viewModel.record(size).time();
                long nanos = java.time.Duration.between(first, last).toNanos();
                viewModel.filter().applyTimeSpan(new io.bpfscope.ui.filter.TimeRange(
                        first.plusNanos((long) (nanos * Double.parseDouble(share[0]))),
                        first.plusNanos((long) (nanos * Double.parseDouble(share[1])))));
                break;
            }
            case "stream":
                // Follow the selected event, then "Filter on this stream"
                window.follow(viewModel.table().selectedProperty().get())
                        .ifPresent(follow -> viewModel.filter().apply(follow.viewModel().filterText()));
                break;
            case "clear":
                viewModel.filter().clear();
                break;
            case "about":
                window.showAbout();
                break;
            case "width":
                window.root().getScene().getWindow().setWidth(Double.parseDouble(value));
                break;
            case "select":
                viewModel.goTo(Long.parseLong(value));
                break;
            case "filter":
                viewModel.filter().apply(value);
                break;
            case "find":
                viewModel.hex().find(value, io.bpfscope.ui.hex.HexViewModel.FindMode.TEXT);
                break;
            case "follow":
                window.followSelected();
                break;
            case "stats":
                window.showStatistics();
                break;
            case "tls-map":
                io.bpfscope.ui.GenericTools.showTlsCoverage(window.root(), viewModel);
                break;
            case "functop":
                // functop=PID_OR_LIBRARY,REGEX
                io.bpfscope.ui.GenericTools.showFunctop(window.root(), viewModel,
                        value.substring(0, value.indexOf(',')), value.substring(value.indexOf(',') + 1));
                break;
            case "save":
                viewModel.saveTo(java.nio.file.Path.of(value));
                break;
            case "quit":
                javafx.application.Platform.exit();
                break;
            case "dark":
                viewModel.settings().darkThemeProperty().set(true);
                break;
            default:
                viewModel.errors().show("BPFSCOPE_UI_SHOW: no step '" + name + "'");
        }
    }
}
