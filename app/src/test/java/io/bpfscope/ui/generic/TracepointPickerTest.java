package io.bpfscope.ui.generic;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.capture.helper.HostFacts;
import io.bpfscope.ui.HeldTasks;
import io.bpfscope.ui.common.TaskRunner;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Tracepoint dialog's state without a window: the list and each format are read as tasks (a
 * round trip to the capture helper under sudo), the dialog says it is loading meanwhile, a slow
 * answer for an earlier choice does not overwrite a later one, and failures are shown.
 */
class TracepointPickerTest {
    private static final String FORK_FORMAT = """
            name: sched_process_fork
            ID: 366
            format:
            \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
            \tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
            \tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
            \tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

            \tfield:__data_loc char[] parent_comm;\toffset:8;\tsize:4;\tsigned:0;
            \tfield:pid_t parent_pid;\toffset:12;\tsize:4;\tsigned:1;
            \tfield:__data_loc char[] child_comm;\toffset:16;\tsize:4;\tsigned:0;
            \tfield:pid_t child_pid;\toffset:20;\tsize:4;\tsigned:1;

            print fmt: "comm=%s pid=%d child_comm=%s child_pid=%d", __get_str(parent_comm), REC->parent_pid, \
            __get_str(child_comm), REC->child_pid
            """;

    /** A host with these tracepoints and formats; a tracepoint without a format cannot be read. */
    private static HostFacts host(List<String> tracepoints, Map<String, String> formats) {
        return new HostFacts() {
            @Override
            public List<String> tracepoints() {
                return tracepoints;
            }

            @Override
            public String tracepointFormat(String tracepoint) throws IOException {
                String format = formats.get(tracepoint);
                if (format == null) {
                    throw new IOException("no format for " + tracepoint);
                }
                return format;
            }

            @Override
            public List<java.util.Map<String, Object>> probeQuery(String name) {
                return List.of();
            }
        };
    }

    @Test
    void theListAndTheFieldsArriveFromTasksAndTheDialogSaysItIsLoadingMeanwhile() {
        HeldTasks tasks = new HeldTasks();
        TracepointPicker picker = new TracepointPicker(host(List.of("sched:sched_process_exec", "sched:sched_process_fork",
                "syscalls:sys_enter_unlinkat"), Map.of("sched:sched_process_fork", FORK_FORMAT)), tasks);
        picker.load();
        assertThat(picker.loadingProperty().get()).isTrue();
        assertThat(picker.statusProperty().get()).isEqualTo("reading the tracepoints of this kernel…");
        assertThat(picker.names().shown()).isEmpty();

        tasks.finish(0);
        assertThat(picker.loadingProperty().get()).isFalse();
        assertThat(picker.statusProperty().get()).startsWith("3 tracepoints;");
        picker.names().queryProperty().set("SCHED fork");
        assertThat(picker.names().shown()).containsExactly("sched:sched_process_fork");

        picker.selectedProperty().set("sched:sched_process_fork");
        assertThat(picker.fieldsProperty().get()).isEqualTo("reading the format of sched:sched_process_fork…");
        assertThat(picker.probeProperty().get()).as("OK waits for the format").isNull();
        tasks.finish(1);
        assertThat(picker.fieldsProperty().get()).contains("parent_comm  (__data_loc char[])")
                .contains("child_pid  (pid_t)");
        assertThat(picker.probeProperty().get().name()).isEqualTo("tracepoint:sched:sched_process_fork");
        assertThat(picker.probeProperty().get().parsedFormat()).isNotNull();
    }

    @Test
    void aSlowFormatForAnEarlierChoiceDoesNotReplaceTheLaterOne() {
        HeldTasks tasks = new HeldTasks();
        TracepointPicker picker = new TracepointPicker(host(List.of("a:one", "sched:sched_process_fork"),
                Map.of("sched:sched_process_fork", FORK_FORMAT)), tasks);
        picker.load();
        tasks.finish(0);
        picker.selectedProperty().set("a:one");
        picker.selectedProperty().set("sched:sched_process_fork");
        tasks.finish(2);
        tasks.finish(1); // the answer for a:one comes last
        assertThat(picker.probeProperty().get().name()).isEqualTo("tracepoint:sched:sched_process_fork");
        assertThat(picker.fieldsProperty().get()).contains("child_pid");
        assertThat(picker.loadingProperty().get()).isFalse();
    }

    @Test
    void aListThatCannotBeReadSaysWhy() {
        HostFacts noTracefs = new HostFacts() {
            @Override
            public List<String> tracepoints() throws IOException {
                throw new IOException("the capture helper is gone");
            }

            @Override
            public String tracepointFormat(String tracepoint) throws IOException {
                throw new IOException("unreachable");
            }

            @Override
            public List<java.util.Map<String, Object>> probeQuery(String name) {
                return List.of();
            }
        };
        TracepointPicker picker = new TracepointPicker(noTracefs, TaskRunner.onCallingThread());
        picker.load();
        assertThat(picker.failedProperty().get()).isTrue();
        assertThat(picker.loadingProperty().get()).isFalse();
        assertThat(picker.statusProperty().get()).isEqualTo("cannot list the tracepoints: the capture helper is gone");
    }

    @Test
    void aFormatThatCannotBeReadLeavesAProbeThatSaysWhyItIsUnavailable() {
        TracepointPicker picker = new TracepointPicker(host(List.of("nosuch:tracepoint_here"), Map.of()),
                TaskRunner.onCallingThread());
        picker.load();
        picker.selectedProperty().set("nosuch:tracepoint_here");
        assertThat(picker.probeProperty().get().availability().available()).isFalse();
        assertThat(picker.fieldsProperty().get()).isEqualTo(picker.probeProperty().get().availability().reason())
                .isNotBlank();
    }
}
