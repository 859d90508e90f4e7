package io.bpfscope.ui.detail;

import java.util.List;

/**
 * One line of the detail tree: a name, its value, the filter that matches
 * it (null when there is none) and the lines under it. Immutable.
 */
public record DetailNode(String name, String value, String filter, List<DetailNode> children) {
    public DetailNode {
        children = List.copyOf(children);
    }

    static DetailNode leaf(String name, String value, String filter) {
        return new DetailNode(name, value, filter, List.of());
    }

    static DetailNode group(String name, String value, List<DetailNode> children) {
        return new DetailNode(name, value, null, children);
    }

    /** {@code name: value}, or the name alone. */
    public String label() {
        return value == null || value.isEmpty() ? name : name + ": " + value;
    }
}
