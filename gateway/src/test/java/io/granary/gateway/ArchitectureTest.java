package io.granary.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The gateway's package structure: {@code io.granary.gateway} wires the server and owns its
 * configuration; {@code routes} holds the endpoints, {@code auth} who may call them, and {@code http}
 * the HTTP plumbing (problems, paths, ranges, tracing) that both use; {@code s3.sigv4} checks S3
 * signatures and decodes S3 bodies apart from any server.
 */
class ArchitectureTest {
    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.granary.gateway");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.granary.gateway.(*)..").should().beFreeOfCycles().check(GATEWAY);
    }

    @Test
    void onlyTheServerPackageDependsOnTheServerPackage() {
        // The slices above leave out the root package: this keeps it on top, so no cycle runs through it.
        noClasses().that().resideInAPackage("io.granary.gateway..")
                .and().resideOutsideOfPackage("io.granary.gateway")
                .should().dependOnClassesThat().resideInAPackage("io.granary.gateway")
                .check(GATEWAY);
    }

    @Test
    void noPackageUsesProtobufOrGrpcTypes() {
        // The gateway reaches the cluster through the client module's GranaryClient and its records.
        noClasses().that().resideInAPackage("io.granary.gateway..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("io.granary.proto..", "com.google.protobuf..", "io.grpc..")
                .check(GATEWAY);
    }

    @Test
    void theSigV4PackageDependsOnTheS3ProtocolAndTheJdkOnly() {
        // Signatures and body decoding know no server, client or cluster, so any S3 front end can use them.
        classes().that().resideInAPackage("io.granary.gateway.s3.sigv4..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "io.granary.gateway.s3.sigv4..", "io.granary.gateway.s3.protocol..", "java..", "javax.crypto..")
                .check(GATEWAY);
    }

    @Test
    void theS3ProtocolPackageKnowsNothingOfSignatures() {
        // Both live in the s3 slice, so the slice rule above cannot see a cycle between them.
        noClasses().that().resideInAPackage("io.granary.gateway.s3.protocol..")
                .should().dependOnClassesThat().resideInAPackage("io.granary.gateway.s3.sigv4..")
                .check(GATEWAY);
    }
}
