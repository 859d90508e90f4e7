package io.bpfscope.ui.detail;

import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.ui.filter.FilterExpressions;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * The detail pane: the selected event as a tree of what a user reads — the
 * event (probe, time, summary), its process, the probe's own fields (lists
 * and maps expandable), its payload — and, last, an "internal" node with
 * what bpfscope reads the record by (kind, source id, boot time). FX thread
 * only.
 */
public final class DetailViewModel {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS xxx")
            .withZone(ZoneId.systemDefault());

    private final ReadOnlyObjectWrapper<DetailNode> tree = new ReadOnlyObjectWrapper<>();

    /** The tree for the selected event; null when none is selected. */
    public ReadOnlyObjectProperty<DetailNode> treeProperty() {
        return tree.getReadOnlyProperty();
    }

    /** Shows {@code record}, which is {@code rawLength} bytes in the capture; null clears the pane. */
    public void show(DecodedRecord record, int rawLength) {
        tree.set(record == null ? null : build(record, rawLength));
    }

    static DetailNode build(DecodedRecord record, int rawLength) {
        DecodedEvent event = record.event();
        EventHeader header = event.header();
        List<DetailNode> top = new ArrayList<>();
        top.add(DetailNode.group("Event " + record.seq(), record.probe() + ", " + LOCAL.format(record.time()), List.of(
                DetailNode.leaf("probe", record.probe(), FilterExpressions.equalTo("probe", record.probe())),
                DetailNode.leaf("time", LOCAL.format(record.time()), null),
                DetailNode.leaf("summary", io.bpfscope.probes.CStrings.replaced(event.summary()), null))));
        top.add(DetailNode.group("Process", io.bpfscope.probes.CStrings.replaced(header.comm()) + " [" + header.pid() + "]", List.of(
                DetailNode.leaf("comm", io.bpfscope.probes.CStrings.replaced(header.comm()), FilterExpressions.equalTo("comm", header.comm())),
                DetailNode.leaf("pid", Integer.toString(header.pid()), FilterExpressions.equalTo("pid", header.pid())),
                DetailNode.leaf("tid", Integer.toString(header.tid()), FilterExpressions.equalTo("tid", header.tid())),
                DetailNode.leaf("uid", Integer.toString(header.uid()), FilterExpressions.equalTo("uid", header.uid())))));
        List<DetailNode> fields = new ArrayList<>();
        for (Map.Entry<String, Object> field : event.fields().entrySet()) {
            fields.add(node(field.getKey(), field.getKey(), field.getValue()));
        }
        top.add(DetailNode.group(record.probe() + " fields", fields.size() + (fields.size() == 1 ? " field" : " fields"),
                fields));
        DecodedEvent.Payload payload = event.payload();
        if (payload != null) {
            String size = payload.truncated()
                    ? "captured " + payload.bytes().length + " of " + payload.originalLength() + " bytes (cut at the limit)"
                    : payload.bytes().length + " bytes";
            top.add(DetailNode.group("Payload", size, List.of(
                    DetailNode.leaf("len", Long.toString(payload.originalLength()),
                            FilterExpressions.equalTo("len", payload.originalLength())),
                    DetailNode.leaf("captured", Integer.toString(payload.bytes().length), null),
                    DetailNode.leaf("truncated", Boolean.toString(payload.truncated()), null))));
        }
        // what bpfscope itself needs to read the record, last and folded: a user rarely looks for it
        top.add(DetailNode.group("internal", "record kind, source, raw size", List.of(
                DetailNode.leaf("seq", Long.toString(record.seq()), FilterExpressions.equalTo("seq", record.seq())),
                DetailNode.leaf("kind", Integer.toString(header.kind()), null),
                DetailNode.leaf("source", Integer.toString(header.source()), null),
                DetailNode.leaf("ts_ns", Long.toString(header.bootNanos()) + " (since boot)", null),
                DetailNode.leaf("record", rawLength + " bytes captured", null))));
        return DetailNode.group(record.probe() + " event " + record.seq(), null, top);
    }

    /** A field: scalars are leaves with their filter; lists and maps open up. */
    private static DetailNode node(String name, String field, Object value) {
        if (value instanceof Collection) {
            Collection<?> items = (Collection<?>) value;
            List<DetailNode> children = new ArrayList<>();
            int i = 0;
            for (Object item : items) {
                children.add(node("[" + i++ + "]", field, item));
            }
            return DetailNode.group(name, "[" + items.size() + "]", children);
        }
        if (value instanceof Map) {
            List<DetailNode> children = new ArrayList<>();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                children.add(node(String.valueOf(entry.getKey()), null, entry.getValue()));
            }
            return DetailNode.group(name, "{" + children.size() + "}", children);
        }
        if (value instanceof byte[]) {
            return DetailNode.leaf(name, ((byte[]) value).length + " bytes", null);
        }
        String text = io.bpfscope.probes.CStrings.replaced(String.valueOf(value)); // shown; the filter keeps the exact bytes
        String filter = field == null || value == null ? null : FilterExpressions.equalTo(field, value);
        return DetailNode.leaf(name, value == null ? "—" : text, filter);
    }
}
