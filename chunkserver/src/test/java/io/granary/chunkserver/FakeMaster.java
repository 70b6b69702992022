package io.granary.chunkserver;

import io.granary.proto.MasterServiceGrpc;
import io.granary.proto.RegisterChunkServerRequest;
import io.granary.proto.RegisterChunkServerResponse;
import io.granary.proto.ReportBadReplicaRequest;
import io.granary.proto.ReportBadReplicaResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A master that only records registrations and bad-replica reports, and announces a heartbeat interval. */
final class FakeMaster extends MasterServiceGrpc.MasterServiceImplBase {
    final List<RegisterChunkServerRequest> registrations = new CopyOnWriteArrayList<>();
    final List<ReportBadReplicaRequest> badReplicas = new CopyOnWriteArrayList<>();
    private final long heartbeatIntervalMs;

    FakeMaster(long heartbeatIntervalMs) {
        this.heartbeatIntervalMs = heartbeatIntervalMs;
    }

    @Override
    public void registerChunkServer(RegisterChunkServerRequest request,
                                    StreamObserver<RegisterChunkServerResponse> responses) {
        registrations.add(request);
        responses.onNext(RegisterChunkServerResponse.newBuilder()
                .setMasterId("fake-master")
                .setHeartbeatIntervalMs(heartbeatIntervalMs)
                .build());
        responses.onCompleted();
    }

    @Override
    public void reportBadReplica(ReportBadReplicaRequest request, StreamObserver<ReportBadReplicaResponse> responses) {
        badReplicas.add(request);
        responses.onNext(ReportBadReplicaResponse.getDefaultInstance());
        responses.onCompleted();
    }
}
