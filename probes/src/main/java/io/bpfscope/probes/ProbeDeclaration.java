package io.bpfscope.probes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a probe tells the rest of bpfscope about its events, so that filters,
 * the table, Follow, Statistics, pcapng and the colours iterate over
 * declarations and name no probe (Wireshark's {@code proto_register_field_array},
 * {@code register_conversation_type} and colouring rules, in one record).
 * A probe's name, description and decoder stay on {@link Probe}. Immutable.
 *
 * @param fields     every field its events may report, in display order
 * @param color      its colour in the timeline and Statistics, and its rows' tints
 * @param streamKey  which conversation an event belongs to (Follow), or empty
 * @param statistics what its events add to the Statistics tables
 * @param packets    how its payload events become packets in pcapng, or null: the exporter's
 *                   generic mapping (UDP datagrams, one stream per process)
 * @param hostQueries questions about the host it answers, by name (see {@link HostQuery})
 */
public record ProbeDeclaration(List<FieldSpec> fields, ProbeColor color, StreamKey streamKey,
                               List<Statistic> statistics, PacketFlow.Mapping packets,
                               Map<String, HostQuery> hostQueries) {
    /** No fields, no streams, no statistics: for a probe that declares nothing yet. */
    public static final ProbeDeclaration NONE = builder().build();

    public ProbeDeclaration {
        fields = List.copyOf(fields);
        statistics = List.copyOf(statistics);
        hostQueries = Map.copyOf(hostQueries);
    }

    /**
     * A read-only question about this host that may need root to answer (other users'
     * /proc/PID/maps, say): rows of plain values (numbers, text, true/false, null). The capture
     * helper answers it for a window that runs as the user; the window turns the rows back into
     * the probe's own type. E.g. tls's {@code tls-coverage}.
     */
    @FunctionalInterface
    public interface HostQuery {
        List<Map<String, Object>> rows();
    }

    /**
     * The conversation an event belongs to (Follow), as a key both directions share that
     * starts with the probe's name, e.g. {@code tcp/0xffff8883...}; empty when the event is in none.
     */
    @FunctionalInterface
    public interface StreamKey {
        StreamKey NONE = event -> Optional.empty();

        Optional<String> of(DecodedEvent event);

        /** The display filter that shows the events of conversation {@code key}, or empty. */
        default String filter(String key) {
            return "";
        }
    }

    /**
     * A probe's colour: the hue of its series and bars, and the background of its
     * table rows in the light and the dark theme. All {@code #rrggbb}.
     */
    public record ProbeColor(String hue, String lightRow, String darkRow) {
        /** Compiled once, not per colour of each probe at every start. */
        private static final java.util.regex.Pattern RRGGBB = java.util.regex.Pattern.compile("#[0-9a-f]{6}");

        public ProbeColor {
            for (String c : List.of(hue, lightRow, darkRow)) {
                if (!RRGGBB.matcher(c).matches()) {
                    throw new IllegalArgumentException("a colour is #rrggbb in lower case: " + c);
                }
            }
        }
    }

    /** The Statistics tables a probe can add to. */
    public enum StatisticTable {
        /** Top files. */
        FILES,
        /** Top hosts: peers and names. */
        HOSTS
    }

    /** An entry one event adds to a Statistics table (or empty), e.g. a tcp event's {@code daddr:dport}. */
    public record Statistic(StatisticTable table, Function<DecodedEvent, Optional<String>> entry) {
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<FieldSpec> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /**
     * The fields {@code event} reports that this declaration lacks, besides {@code alsoKnown}
     * (a tracepoint's own, from its format): empty when they agree. For a probe's tests.
     */
    public List<String> undeclaredFields(DecodedEvent event, java.util.Collection<String> alsoKnown) {
        return event.fields().keySet().stream()
                .filter(name -> field(name).isEmpty() && !alsoKnown.contains(name)).toList();
    }

    /** Builds a declaration: fields in display order, then what else the probe has. */
    public static final class Builder {
        private final List<FieldSpec> fields = new ArrayList<>();
        private ProbeColor color;
        private StreamKey streamKey = StreamKey.NONE;
        private final List<Statistic> statistics = new ArrayList<>();
        private PacketFlow.Mapping packets;
        private final Map<String, HostQuery> hostQueries = new java.util.LinkedHashMap<>();

        private Builder() {
        }

        public Builder field(FieldSpec field) {
            if (fields.stream().anyMatch(f -> f.name().equals(field.name()))) {
                throw new IllegalArgumentException("field " + field.name() + " declared twice");
            }
            fields.add(field);
            return this;
        }

        public Builder fields(List<FieldSpec> more) {
            more.forEach(this::field);
            return this;
        }

        public Builder color(String hue, String lightRow, String darkRow) {
            color = new ProbeColor(hue, lightRow, darkRow);
            return this;
        }

        /**
         * @param key    the conversation of an event
         * @param filter the display filter that shows one conversation, from its key
         */
        public Builder streamKey(StreamKey key, Function<String, String> filter) {
            streamKey = new StreamKey() {
                @Override
                public Optional<String> of(DecodedEvent event) {
                    return key.of(event);
                }

                @Override
                public String filter(String streamKey) {
                    return filter.apply(streamKey);
                }
            };
            return this;
        }

        public Builder statistic(StatisticTable table, Function<DecodedEvent, Optional<String>> entry) {
            statistics.add(new Statistic(table, entry));
            return this;
        }

        public Builder packets(PacketFlow.Mapping mapping) {
            packets = mapping;
            return this;
        }

        /** A question about the host this probe answers; see {@link HostQuery}. */
        public Builder hostQuery(String name, HostQuery query) {
            hostQueries.put(name, query);
            return this;
        }

        public ProbeDeclaration build() {
            return new ProbeDeclaration(fields, color, streamKey, statistics, packets, hostQueries);
        }
    }
}
