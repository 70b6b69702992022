package io.granary.chunkserver;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The chunkserver's package structure: packages free of cycles, the root package ({@link ChunkServer},
 * its config) wiring the rest without being used by it, and proto types only where the node talks
 * gRPC.
 */
class ArchitectureTest {

    private static final JavaClasses CHUNKSERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.granary.chunkserver");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.granary.chunkserver.(*)..").should().beFreeOfCycles().check(CHUNKSERVER);
    }

    @Test
    void nothingBelowTheRootPackageDependsOnIt() {
        noClasses().that().resideOutsideOfPackage("io.granary.chunkserver")
                .should().dependOnClassesThat().resideInAPackage("io.granary.chunkserver")
                .check(CHUNKSERVER);
    }

    /**
     * Proto messages stay in the packages that speak gRPC: {@code grpc} (the server adapter),
     * {@code wire} (conversions and channels) and {@code master} (the node's client of the master).
     * {@code replication} is listed on purpose: a chained write forwards each WriteChunk message
     * downstream as it arrives, the same bytes without re-encoding (GFS §3.2 pipelining), and a copy
     * pulls the chunk through a ReadChunk stream, so its work is gRPC streams. {@code store} and
     * {@code integrity} know nothing of the wire.
     */
    @Test
    void protoTypesAreUsedOnlyWhereTheNodeSpeaksGrpc() {
        noClasses().that().resideOutsideOfPackages(
                        "io.granary.chunkserver.grpc..",
                        "io.granary.chunkserver.wire..",
                        "io.granary.chunkserver.master..",
                        "io.granary.chunkserver.replication..")
                .should().dependOnClassesThat().resideInAnyPackage("io.granary.proto..", "com.google.protobuf..")
                .check(CHUNKSERVER);
    }
}
