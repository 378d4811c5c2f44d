package io.scenepipeline;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The packages are layers a reader can draw, lowest first: support; plan; state (the journal); run (a plan's state
 * while it runs); provider; retry; observe; output; assembly; lifecycle (intake, scenes, publishing, dead letters);
 * console (what an operator sees and does); config and cli (the wiring). The simulator stands apart and leans on support only. No package imports one above it.
 */
class LayersTest {

    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.scenepipeline");
    }

    @Test
    void should_have_no_package_cycles() {
        // the check reads the compiled product classes: an empty import would pass vacuously
        org.assertj.core.api.Assertions.assertThat(classes.size()).isGreaterThan(100);
        slices().matching("io.scenepipeline.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void should_import_only_downwards() {
        Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("support").definedBy("io.scenepipeline.support..")
                .layer("plan").definedBy("io.scenepipeline.plan..")
                .layer("state").definedBy("io.scenepipeline.state..")
                .layer("run").definedBy("io.scenepipeline.run..")
                .layer("provider").definedBy("io.scenepipeline.provider..")
                .layer("retry").definedBy("io.scenepipeline.retry..")
                .layer("observe").definedBy("io.scenepipeline.observe..")
                .layer("output").definedBy("io.scenepipeline.output..")
                .layer("assembly").definedBy("io.scenepipeline.assembly..")
                .layer("lifecycle").definedBy("io.scenepipeline.lifecycle..")
                .layer("console").definedBy("io.scenepipeline.console..")
                .layer("wiring").definedBy("io.scenepipeline.config..", "io.scenepipeline.cli..")
                .layer("simulator").definedBy("io.scenepipeline.simulator..")
                .whereLayer("wiring").mayNotBeAccessedByAnyLayer()
                .whereLayer("console").mayOnlyBeAccessedByLayers("wiring")
                .whereLayer("lifecycle").mayOnlyBeAccessedByLayers("console", "wiring")
                .whereLayer("assembly").mayOnlyBeAccessedByLayers("lifecycle", "console", "wiring")
                .whereLayer("output").mayOnlyBeAccessedByLayers("assembly", "lifecycle", "console", "wiring")
                .whereLayer("observe").mayOnlyBeAccessedByLayers("output", "assembly", "lifecycle", "console", "wiring")
                .whereLayer("retry").mayOnlyBeAccessedByLayers("observe", "output", "assembly", "lifecycle", "console", "wiring")
                .whereLayer("provider").mayOnlyBeAccessedByLayers("retry", "observe", "output", "assembly", "lifecycle", "console", "wiring")
                .whereLayer("run").mayOnlyBeAccessedByLayers("provider", "retry", "observe", "output", "assembly", "lifecycle", "console", "wiring")
                .whereLayer("state").mayOnlyBeAccessedByLayers("run", "provider", "retry", "observe", "output", "assembly", "lifecycle", "console", "wiring")
                .whereLayer("plan").mayOnlyBeAccessedByLayers("state", "run", "provider", "retry", "observe", "output", "assembly",
                        "lifecycle", "console", "wiring")
                .whereLayer("simulator").mayOnlyBeAccessedByLayers("wiring")
                .check(classes);
    }
}
