package io.bpfscope;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The headless core (capture, store, files, filters, exporters, probes,
 * bridge) imports nothing from JavaFX, so the CLI runs without a display and
 * the GUI is one face among two. The core knows no probe by name: it asks
 * {@code ProbeCatalog} for declarations, so a new probe is its own package
 * and one registration line.
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

    /**
     * The core: everything in app/ but the faces (ui, cli) and the benchmarks. The capture helper
     * is core too: it rebuilds a probe from its name and Probe.parameters(), and answers the host
     * queries probes declare, without knowing any.
     */
    private static final String[] CORE = {"io.bpfscope", "io.bpfscope.capture..", "io.bpfscope.export..",
        "io.bpfscope.filter..", "io.bpfscope.io.."};

    @Test
    void theCoreImportsNoConcreteProbe() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat(resideInAPackage("io.bpfscope.probes.*..")
                        .and(resideOutsideOfPackage("io.bpfscope.probes.catalog")))
                .because("the core finds probes through ProbeCatalog and their ProbeDeclaration")
                .check(CLASSES);
    }

    @Test
    void theCoreNamesNoProbe() throws IOException {
        Set<String> names = new TreeSet<>(List.of("tracepoint", "uprobe", "uretprobe"));
        ProbeCatalog.all().stream().map(Probe::name).forEach(names::add);
        ProbeCatalog.internal("bench").map(Probe::name).ifPresent(names::add);
        Pattern literal = Pattern.compile("\"(" + String.join("|", names) + ")[:/ ]?\"");
        List<String> found = new ArrayList<>();
        Path main = Path.of("src/main/java/io/bpfscope");
        for (String dir : List.of("capture", "export", "filter", "io")) {
            try (Stream<Path> files = Files.walk(main.resolve(dir))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = literal.matcher(withoutComments(Files.readString(file)));
                    while (m.find()) {
                        found.add(main.relativize(file) + ": " + m.group());
                    }
                }
            }
        }
        assertThat(found).as("probe names in the core: ask ProbeCatalog for the probe's declaration instead").isEmpty();
    }

    /** Java source without its comments (strings with comment markers in them do not occur in the core). */
    private static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }

    /**
     * The capture layers, in the order a record goes through them: the file format, the event
     * store (decoding and indexing), the live session (ring buffer to file and store), the
     * capture helper that serves a session to the window. None reaches up.
     */
    @Test
    void theCaptureLayersReadTopToBottom() {
        noClasses().that().resideInAPackage("io.bpfscope.capture.file..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bpfscope.capture.store..",
                        "io.bpfscope.capture.live..", "io.bpfscope.capture.helper..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.bpfscope.capture.store..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bpfscope.capture.live..",
                        "io.bpfscope.capture.helper..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.bpfscope.capture.live..")
                .should().dependOnClassesThat().resideInAPackage("io.bpfscope.capture.helper..")
                .check(CLASSES);
    }

    /**
     * DuckDB (a large jar with a native library it unpacks) and Arrow (the stream type DuckDB takes)
     * are named in io.bpfscope.sql only, which only the sql command, the Parquet export and
     * Analyze → SQL reach: start-up never loads them.
     */
    @Test
    void onlyTheSqlPackageNamesDuckDb() {
        noClasses().that().resideOutsideOfPackage("io.bpfscope.sql..")
                .should().dependOnClassesThat().resideInAnyPackage("org.duckdb..", "org.apache.arrow..")
                .check(CLASSES);
    }

    /** Packages import each other one way only, everywhere. */
    @Test
    void noPackageCycles() {
        slices().matching("io.bpfscope.(**)").should().beFreeOfCycles().check(CLASSES);
    }
}
