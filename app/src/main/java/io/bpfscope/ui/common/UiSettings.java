package io.bpfscope.ui.common;

import io.bpfscope.io.AtomicOutput;
import io.bpfscope.io.InvokingUser;
import io.bpfscope.io.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * What the window remembers between runs: recent files, recent filters and
 * the theme, in {@code ~/.config/bpfscope/gui.properties} (written new and
 * renamed into place, 0600, the user's: see {@link PrivateFiles}). Tests use
 * {@link #inMemory()}. FX thread only.
 */
public final class UiSettings {
    private static final int MAX_RECENT_FILES = 10;
    private static final int MAX_FILTERS = 20;

    private final Path file;
    private final ObservableList<String> recentFiles = FXCollections.observableArrayList();
    private final ObservableList<String> filterHistory = FXCollections.observableArrayList();
    private final BooleanProperty darkTheme = new SimpleBooleanProperty();

    private UiSettings(Path file) {
        this.file = file;
    }

    /** Settings that are not saved. */
    public static UiSettings inMemory() {
        return new UiSettings(null);
    }

    /** Reads the settings file if there is one; a damaged one is ignored (they are only conveniences). */
    public static UiSettings load(Path file) {
        UiSettings settings = new UiSettings(file);
        if (Files.isReadable(file)) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            } catch (IOException | IllegalArgumentException e) {
                return settings;
            }
            settings.recentFiles.setAll(list(properties, "recent.", MAX_RECENT_FILES));
            settings.filterHistory.setAll(list(properties, "filter.", MAX_FILTERS));
            settings.darkTheme.set("dark".equals(properties.getProperty("theme")));
        }
        return settings;
    }

    /**
     * {@code $XDG_CONFIG_HOME/bpfscope/gui.properties}, else under the
     * invoking user's {@code ~/.config} (under sudo: the user's, not root's).
     */
    public static Path defaultFile() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path home = InvokingUser.current().home() != null ? InvokingUser.current().home()
                : Path.of(System.getProperty("user.home"));
        Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : home.resolve(".config");
        return base.resolve("bpfscope").resolve("gui.properties");
    }

    /** Most recent first. */
    public ObservableList<String> recentFiles() {
        return recentFiles;
    }

    /** Most recent first. */
    public ObservableList<String> filterHistory() {
        return filterHistory;
    }

    public BooleanProperty darkThemeProperty() {
        return darkTheme;
    }

    public void addRecentFile(String path) throws IOException {
        pushFront(recentFiles, path, MAX_RECENT_FILES);
        save();
    }

    public void addFilter(String filter) throws IOException {
        if (filter.isBlank()) {
            return;
        }
        pushFront(filterHistory, filter, MAX_FILTERS);
        save();
    }

    /** Writes the file now (theme changes call this too). */
    public void save() throws IOException {
        if (file == null) {
            return;
        }
        Properties properties = new Properties();
        for (int i = 0; i < recentFiles.size(); i++) {
            properties.setProperty("recent." + i, recentFiles.get(i));
        }
        for (int i = 0; i < filterHistory.size(); i++) {
            properties.setProperty("filter." + i, filterHistory.get(i));
        }
        properties.setProperty("theme", darkTheme.get() ? "dark" : "light");
        PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
        // A new file renamed over the old one: a crash mid-write cannot leave half the settings.
        try (AtomicOutput output = AtomicOutput.open(file, true, List.of())) {
            properties.store(output.stream(), "bpfscope desktop settings");
            output.commit();
        }
    }

    private static void pushFront(ObservableList<String> list, String value, int max) {
        list.remove(value);
        list.add(0, value);
        if (list.size() > max) {
            list.remove(max, list.size());
        }
    }

    private static List<String> list(Properties properties, String prefix, int max) {
        List<String> values = new java.util.ArrayList<>();
        for (int i = 0; i < max; i++) {
            String value = properties.getProperty(prefix + i);
            if (value != null && !value.isBlank()) {
                values.add(value);
            }
        }
        return values;
    }
}
