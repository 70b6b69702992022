package io.granary.master;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The master's package structure: packages free of cycles, the root package ({@link MasterServer},
 * its config) wiring the rest without being used by it, store interfaces owned by the packages they
 * serve, and proto types only in the gRPC adapter.
 */
class ArchitectureTest {

    private static final JavaClasses MASTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.granary.master");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.granary.master.(*)..").should().beFreeOfCycles().check(MASTER);
    }

    @Test
    void nothingBelowTheRootPackageDependsOnIt() {
        noClasses().that().resideOutsideOfPackage("io.granary.master")
                .should().dependOnClassesThat().resideInAPackage("io.granary.master")
                .check(MASTER);
    }

    /** {@code store} holds the Redis implementations; the interfaces they implement live with their users. */
    @Test
    void onlyTheRootPackageDependsOnTheRedisStore() {
        noClasses().that().resideOutsideOfPackages("io.granary.master", "io.granary.master.store..")
                .should().dependOnClassesThat().resideInAPackage("io.granary.master.store..")
                .check(MASTER);
    }

    @Test
    void theModelDependsOnNoOtherMasterPackage() {
        noClasses().that().resideInAPackage("io.granary.master.model..")
                .should().dependOnClassesThat(
                        resideInAPackage("io.granary.master..").and(resideOutsideOfPackage("io.granary.master.model..")))
                .check(MASTER);
    }

    @Test
    void protoTypesAreUsedOnlyInTheGrpcAdapter() {
        noClasses().that().resideOutsideOfPackage("io.granary.master.grpc..")
                .should().dependOnClassesThat().resideInAnyPackage("io.granary.proto..", "com.google.protobuf..")
                .check(MASTER);
    }
}
