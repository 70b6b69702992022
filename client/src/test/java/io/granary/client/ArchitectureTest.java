package io.granary.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The client library is a dependency of other people's programs: it uses only what its published pom
 * brings (gRPC, protobuf, the SLF4J API), never the servers' metrics, which live in {@code common}
 * behind optional dependencies that a client's users do not get, nor a logging implementation.
 */
class ArchitectureTest {

    private static final JavaClasses CLIENT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.granary.client");

    @Test
    void usesNoServerMetricsNorLoggingImplementation() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.granary.common.metrics..",
                        "io.micrometer..", "io.prometheus..", "ch.qos.logback..", "org.apache.logging..")
                .orShould().dependOnClassesThat().haveSimpleName("GrpcServerMetrics")
                .check(CLIENT);
    }
}
