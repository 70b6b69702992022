package io.granary.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The launcher's package structure: {@code io.granary.launcher} holds the picocli commands, thin
 * adapters from flags and variables to the roles; {@code local} runs every role in one process,
 * {@code daemon} keeps a role running until shutdown, and {@code cli} is the user's command-line client.
 */
class ArchitectureTest {
    private static final JavaClasses LAUNCHER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.granary.launcher");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.granary.launcher.(*)..").should().beFreeOfCycles().check(LAUNCHER);
    }

    @Test
    void onlyTheCommandsDependOnTheCommandsPackage() {
        // the slices above leave out the root package: this keeps it on top, so no cycle runs through it
        noClasses().that().resideInAPackage("io.granary.launcher..")
                .and().resideOutsideOfPackage("io.granary.launcher")
                .should().dependOnClassesThat().resideInAPackage("io.granary.launcher")
                .check(LAUNCHER);
    }

    @Test
    void noPackageUsesProtobufTypes() {
        // the commands start roles and call the cluster through GranaryClient; wire types stay in the roles' adapters
        noClasses().that().resideInAPackage("io.granary.launcher..")
                .should().dependOnClassesThat().resideInAnyPackage("io.granary.proto..", "com.google.protobuf..")
                .check(LAUNCHER);
    }
}
