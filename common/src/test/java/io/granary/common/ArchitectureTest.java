package io.granary.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The common module's package structure: the root package holds the base types (paths, sizes,
 * errors) that every subpackage may use, and the subpackages are free of cycles among themselves.
 */
class ArchitectureTest {

    private static final JavaClasses COMMON = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.granary.common");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.granary.common.(*)..").should().beFreeOfCycles().check(COMMON);
    }

    @Test
    void theRootPackageDependsOnNoneOfItsSubpackages() {
        noClasses().that().resideInAPackage("io.granary.common")
                .should().dependOnClassesThat().resideInAPackage("io.granary.common.(*)..")
                .check(COMMON);
    }
}
