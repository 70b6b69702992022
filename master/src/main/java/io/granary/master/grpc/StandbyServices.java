package io.granary.master.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.StatusRuntimeException;
import io.granary.proto.AuthServiceGrpc;
import io.granary.proto.GrantServiceGrpc;
import io.granary.proto.MasterServiceGrpc;
import java.util.List;
import java.util.function.Supplier;

/**
 * The master's metadata services as a standby serves them: every method of every one answers the
 * refusal {@code refusal} makes at the time of the call (naming the active master as then known),
 * without reading the request.
 */
public final class StandbyServices {
    private StandbyServices() {
    }

    /** The services an active master serves: where a standby's refusals replace them. */
    public static List<ServiceDescriptor> metadataServices() {
        return List.of(MasterServiceGrpc.getServiceDescriptor(), GrantServiceGrpc.getServiceDescriptor(),
                AuthServiceGrpc.getServiceDescriptor());
    }

    /** Definitions of {@link #metadataServices()} refusing every call with {@code refusal}. */
    public static List<ServerServiceDefinition> refusing(Supplier<StatusRuntimeException> refusal) {
        return metadataServices().stream().map(service -> refusing(service, refusal)).toList();
    }

    private static ServerServiceDefinition refusing(ServiceDescriptor service,
                                                    Supplier<StatusRuntimeException> refusal) {
        ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(service);
        for (MethodDescriptor<?, ?> method : service.getMethods()) {
            addRefusing(definition, method, refusal);
        }
        return definition.build();
    }

    private static <Q, A> void addRefusing(ServerServiceDefinition.Builder definition, MethodDescriptor<Q, A> method,
                                           Supplier<StatusRuntimeException> refusal) {
        ServerCallHandler<Q, A> handler = (call, headers) -> {
            StatusRuntimeException refused = refusal.get();
            call.close(refused.getStatus(), refused.getTrailers());
            return new ServerCall.Listener<>() {
            };
        };
        definition.addMethod(method, handler);
    }
}
