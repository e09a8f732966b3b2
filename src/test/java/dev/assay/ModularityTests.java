package dev.assay;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The structure of DESIGN §2, executable: every direct sub-package of dev.assay is a module; a
 * module may use only the modules its package-info allows and only their base package (their API);
 * the jOOQ classes of a feature's tables live in its internal package, so no feature can reach into
 * another's tables.
 */
class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(AssayApplication.class);
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.assay");

    @Test
    void modulesRespectTheirDeclaredDependenciesAndEachOthersInternals() {
        modules.verify();
    }

    @Test
    void theCollectionFrameworkKnowsNoFeature() {
        noClasses().that().resideInAPackage("dev.assay.collect..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.assay.catalog..", "dev.assay.security..",
                        "dev.assay.builds..", "dev.assay.artifacts..", "dev.assay.findings..", "dev.assay.incidents..",
                        "dev.assay.playbooks..", "dev.assay.metrics..", "dev.assay.dashboard..")
                .check(classes);
    }

    @Test
    void theCatalogDependsOnNoOtherFeature() {
        noClasses().that().resideInAPackage("dev.assay.catalog..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.assay.security..", "dev.assay.builds..",
                        "dev.assay.artifacts..", "dev.assay.findings..", "dev.assay.incidents..", "dev.assay.playbooks..",
                        "dev.assay.metrics..", "dev.assay.dashboard..")
                .check(classes);
    }

    @Test
    void nothingDependsOnTheDashboard() {
        noClasses().that().resideOutsideOfPackage("dev.assay.dashboard..")
                .should().dependOnClassesThat().resideInAPackage("dev.assay.dashboard..")
                .check(classes);
    }

    @Test
    void generatedTableClassesAreUsedOnlyByTheFeatureThatOwnsThem() {
        for (String feature : new String[] {"security", "catalog", "collect", "builds", "artifacts", "findings",
                "incidents", "playbooks", "metrics"}) {
            noClasses().that().resideOutsideOfPackage("dev.assay." + feature + "..")
                    .should().dependOnClassesThat().resideInAPackage("dev.assay." + feature + ".internal.db..")
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }
}
