package io.bpfscope;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The headless core (capture, store, files, filters, exporters, probes,
 * bridge) imports nothing from JavaFX, so the CLI runs without a display and
 * the GUI is one face among two.
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.bpfscope");

    @Test
    void theCoreDoesNotDependOnJavaFx() {
        noClasses().that().resideInAnyPackage("io.bpfscope.capture..", "io.bpfscope.export..", "io.bpfscope.filter..",
                        "io.bpfscope.io..", "io.bpfscope.probes..", "io.bpfscope.bridge..", "io.bpfscope.bench..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.jfree.chart.fx..")
                .check(CLASSES);
    }

    @Test
    void theDataFlowsOneWay() {
        noClasses().that().resideInAnyPackage("io.bpfscope.bridge..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bpfscope.probes..", "io.bpfscope.capture..",
                        "io.bpfscope.ui..", "io.bpfscope.cli..")
                .check(CLASSES);
        noClasses().that().resideInAnyPackage("io.bpfscope.probes..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bpfscope.capture..", "io.bpfscope.ui..",
                        "io.bpfscope.cli..")
                .check(CLASSES);
        noClasses().that().resideInAnyPackage("io.bpfscope.capture..", "io.bpfscope.export..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bpfscope.ui..", "io.bpfscope.cli..")
                .check(CLASSES);
    }
}
