package io.bpfscope.ui.probes;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.capture.helper.HostFacts;
import io.bpfscope.capture.helper.LiveCapture.AttachedProbe;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.ui.HeldTasks;
import io.bpfscope.ui.common.ErrorDisplay;
import io.bpfscope.ui.common.PathChooser;
import io.bpfscope.ui.common.TaskRunner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The probe panel without a window or a capture helper: each ticked probe attaches on its own
 * task, one that fails says why on its row and stops no other, detaching keeps the rows right.
 */
class ProbePanelViewModelTest {
    private final ErrorDisplay errors = new ErrorDisplay();

    /** Attaches as the helper would; the probes named in {@code failing} fail with that sentence. */
    private static final class FakeLive implements ProbePanelViewModel.LiveCaptures {
        final Map<String, String> failing;
        final List<String> attachedNames = new ArrayList<>();
        final List<ProbeOptions> options = new ArrayList<>();
        final List<AttachedProbe> detached = new ArrayList<>();
        int shown;

        FakeLive(Map<String, String> failing) {
            this.failing = failing;
        }

        @Override
        public AttachedProbe attach(Probe probe, ProbeOptions with) throws IOException {
            if (failing.containsKey(probe.name())) {
                throw new IOException(failing.get(probe.name()));
            }
            attachedNames.add(probe.name());
            options.add(with);
            return new AttachedProbe(probe, attachedNames.size(),
                    probe.name().equals("tls") ? List.of("libgnutls: no symbol gnutls_record_send") : List.of());
        }

        @Override
        public void detach(AttachedProbe probe) {
            detached.add(probe);
        }

        @Override
        public void attached() {
            shown++;
        }

        @Override
        public HostFacts hostFacts() {
            return HostFacts.local();
        }
    }

    private ProbePanelViewModel panel(String offlineReason, TaskRunner tasks, FakeLive live) {
        return new ProbePanelViewModel(offlineReason, tasks, errors, live, () -> PathChooser.NONE);
    }

    private static ProbeRow row(ProbePanelViewModel panel, String name) {
        return panel.probes().stream().filter(r -> r.probe().name().equals(name)).findFirst().orElseThrow();
    }

    private static void tick(ProbePanelViewModel panel, String... names) {
        Set<String> ticked = Set.of(names);
        panel.probes().forEach(r -> r.selectedProperty().set(ticked.contains(r.probe().name())));
    }

    @Test
    void aProbeThatFailsSaysWhyOnItsRowAndTheOthersAttach() {
        FakeLive live = new FakeLive(Map.of("open", "attach tracepoint syscalls:sys_enter_openat: EPERM"));
        HeldTasks tasks = new HeldTasks();
        ProbePanelViewModel panel = panel(null, tasks, live);
        tick(panel, "exec", "open", "tls");
        row(panel, "exec").pidProperty().set("4242");
        panel.attachSelected();
        assertThat(tasks.names()).containsExactly("attach exec", "attach open", "attach tls");
        assertThat(row(panel, "exec").stateProperty().get()).isEqualTo("attaching…");
        panel.attachSelected(); // pressed again while they attach: nothing is attached twice
        assertThat(tasks.names()).hasSize(3);

        tasks.finishAll();
        assertThat(row(panel, "open").stateProperty().get()).isEqualTo("failed");
        assertThat(row(panel, "open").failureProperty().get()).hasMessage("attach tracepoint syscalls:sys_enter_openat: EPERM");
        assertThat(errors.messageProperty().get()).isEqualTo("open: attach tracepoint syscalls:sys_enter_openat: EPERM");
        assertThat(row(panel, "exec").stateProperty().get()).isEqualTo("attached");
        assertThat(row(panel, "exec").loadedProperty().get().probe().name()).isEqualTo("exec");
        assertThat(row(panel, "tls").stateProperty().get()).isEqualTo("attached (1 skipped)");
        assertThat(live.attachedNames).containsExactly("exec", "tls");
        assertThat(live.options.get(0).pid()).isEqualTo(4242);
        assertThat(live.shown).as("the live capture is told of each attached probe").isEqualTo(2);
        assertThat(panel.anyAttached()).isTrue();
    }

    @Test
    void detachingTheTickedProbesLeavesTheOthersAttached() {
        FakeLive live = new FakeLive(Map.of());
        ProbePanelViewModel panel = panel(null, TaskRunner.onCallingThread(), live);
        tick(panel, "exec", "open");
        panel.attachSelected();
        AttachedProbe exec = row(panel, "exec").loadedProperty().get();
        tick(panel, "exec");
        panel.detachSelected();
        assertThat(live.detached).containsExactly(exec);
        assertThat(row(panel, "exec").stateProperty().get()).isEqualTo("detached");
        assertThat(row(panel, "exec").loadedProperty().get()).isNull();
        assertThat(row(panel, "open").stateProperty().get()).isEqualTo("attached");

        panel.allDetached(); // the live capture ended
        assertThat(row(panel, "open").stateProperty().get()).isEqualTo("detached");
        assertThat(panel.anyAttached()).isFalse();
    }

    @Test
    void traceBpfscopeItselfIsOffByDefaultAndGoesWithTheProbesAttachedNext() {
        FakeLive live = new FakeLive(Map.of());
        ProbePanelViewModel panel = panel(null, TaskRunner.onCallingThread(), live);
        tick(panel, "exec");
        panel.attachSelected();
        panel.includeSelfProperty().set(true);
        tick(panel, "exec", "open");
        panel.attachSelected();
        assertThat(live.attachedNames).containsExactly("exec", "open");
        assertThat(live.options).extracting(ProbeOptions::includeSelf).containsExactly(false, true);
    }

    @Test
    void badOptionsBlockAttachBeforeAnythingIsAsked() {
        FakeLive live = new FakeLive(Map.of());
        ProbePanelViewModel panel = panel(null, TaskRunner.onCallingThread(), live);
        tick(panel, "exec");
        row(panel, "exec").commProperty().set("a-name-longer-than-15");
        assertThat(row(panel, "exec").commProblem().get()).contains("comm is at most 15 bytes");
        assertThat(panel.attachBlockedProperty().get()).startsWith("exec: comm is at most 15 bytes");
        panel.attachSelected();
        // not a failure of the probe: nothing was asked of the kernel, the row keeps its state
        assertThat(row(panel, "exec").stateProperty().get()).isNotEqualTo("failed");
        assertThat(row(panel, "exec").failureProperty().get()).isNull();
        assertThat(errors.messageProperty().get()).contains("comm is at most 15 bytes");
        assertThat(live.attachedNames).isEmpty();

        row(panel, "exec").commProperty().set("curl");
        assertThat(panel.attachBlockedProperty().get()).isEmpty();
        for (String bad : new String[] {"abc", "-1", "0", "99999999999"}) {
            row(panel, "exec").pidProperty().set(bad);
            assertThat(row(panel, "exec").pidProblem().get()).as(bad).isNotEmpty();
        }
        row(panel, "exec").pidProperty().set(" 42 ");
        row(panel, "exec").uidProperty().set("0");
        assertThat(panel.attachBlockedProperty().get()).isEmpty();
        assertThat(row(panel, "exec").options().pid()).isEqualTo(42);
        assertThat(row(panel, "exec").options().uid()).isZero();
    }

    @Test
    void offlineOrNothingTickedAttachesNothingAndSaysWhy() {
        FakeLive live = new FakeLive(Map.of());
        ProbePanelViewModel offline = panel("not root and no capture helper", TaskRunner.onCallingThread(), live);
        assertThat(offline.probes()).allMatch(r -> r.stateProperty().get().equals("offline"));
        tick(offline, "exec");
        offline.attachSelected();
        assertThat(errors.messageProperty().get()).isEqualTo("offline: not root and no capture helper");

        ProbePanelViewModel online = panel(null, TaskRunner.onCallingThread(), live);
        tick(online);
        online.attachSelected();
        assertThat(errors.messageProperty().get()).isEqualTo("tick the probes to attach first");
        assertThat(live.attachedNames).isEmpty();
    }
}
