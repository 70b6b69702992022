package io.granary.master.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.Role;
import io.granary.proto.AuthServiceGrpc;
import io.granary.proto.GrantServiceGrpc;
import io.granary.proto.MasterServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The table of what a token may call is a decision per rpc: every rpc of the master is in it or is
 * one of the cluster's own, named here, so that a new rpc cannot be opened to tokens, or left closed,
 * without someone choosing.
 */
class PrincipalAdmissionTest {
    /** What only the cluster's nodes call: chunkservers, and gateways resolving credentials for users. */
    private static final Set<String> CLUSTER_ONLY = Set.of(
            MasterServiceGrpc.getRegisterChunkServerMethod().getFullMethodName(),
            MasterServiceGrpc.getReportBadReplicaMethod().getFullMethodName(),
            AuthServiceGrpc.getResolveTokenMethod().getFullMethodName(),
            AuthServiceGrpc.getResolveS3KeyMethod().getFullMethodName(),
            GrantServiceGrpc.getMatchGrantMethod().getFullMethodName());

    @Test
    void everyRpcOfTheMasterIsEitherInTheTableOrTheClustersOwn() {
        Set<String> all = new HashSet<>();
        for (ServiceDescriptor service : List.of(MasterServiceGrpc.getServiceDescriptor(),
                AuthServiceGrpc.getServiceDescriptor(), GrantServiceGrpc.getServiceDescriptor())) {
            service.getMethods().stream().map(MethodDescriptor::getFullMethodName).forEach(all::add);
        }

        assertThat(PrincipalAdmission.ROLES.keySet()).doesNotContainAnyElementsOf(CLUSTER_ONLY);
        assertThat(all).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(PrincipalAdmission.ROLES.keySet().stream(), CLUSTER_ONLY.stream())
                        .collect(Collectors.toSet()));
    }

    @Test
    void readsNeedAReaderChangesAWriterAndTheClustersAdministrationAnAdmin() {
        assertThat(PrincipalAdmission.ROLES.get(MasterServiceGrpc.getGetFileMethod().getFullMethodName()))
                .isEqualTo(Role.READER);
        assertThat(PrincipalAdmission.ROLES.get(MasterServiceGrpc.getStartUploadMethod().getFullMethodName()))
                .isEqualTo(Role.WRITER);
        assertThat(PrincipalAdmission.ROLES.get(MasterServiceGrpc.getDeleteFileMethod().getFullMethodName()))
                .isEqualTo(Role.WRITER);
        assertThat(PrincipalAdmission.ROLES.get(AuthServiceGrpc.getCreateTokenMethod().getFullMethodName()))
                .isEqualTo(Role.ADMIN);
        assertThat(PrincipalAdmission.ROLES.get(MasterServiceGrpc.getFsckMethod().getFullMethodName()))
                .isEqualTo(Role.ADMIN);
    }
}
