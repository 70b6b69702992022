package io.granary.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterSecretInterceptorsTest {
    private static final ClusterSecret SECRET = ClusterSecret.of("s3cret-s3cret-s3cret");
    private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static final Metadata.Key<String> PASS = Metadata.Key.of("x-test-pass", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> PASS_IN_CONTEXT = Context.key("test-pass");

    private final AtomicInteger served = new AtomicInteger();
    private final AtomicReference<String> seenPass = new AtomicReference<>();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(echo("test.Echo"), ClusterSecretInterceptors.server("node", SECRET)))
                .addService(ServerInterceptors.intercept(echo(ClusterSecretInterceptors.EXEMPT_SERVICE),
                        ClusterSecretInterceptors.server("node", SECRET)))
                // the last interceptor runs first: the admission, then the secret
                .addService(ServerInterceptors.intercept(echo("test.Admitted"),
                        ClusterSecretInterceptors.server("node", SECRET),
                        ClusterSecretInterceptors.admitting("node", ClusterSecretInterceptorsTest::admitByPass)))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void aCallWithTheSecretIsServed() {
        assertThat(call(ClientInterceptors.intercept(channel, ClusterSecretInterceptors.client(SECRET)), "test.Echo"))
                .isEqualTo("hello");
        assertThat(served).hasValue(1);
    }

    @Test
    void aCallWithoutTheSecretIsRefusedBeforeTheServiceRuns() {
        assertThatThrownBy(() -> call(channel, "test.Echo"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).startsWith("missing cluster secret")
                            .contains(ClusterSecretInterceptors.HEADER);
                });
        assertThat(served).hasValue(0);
    }

    @Test
    void aWrongSecretIsRefusedAndNotEchoed() {
        String wrong = "s3cret-s3cret-s3creX";
        Channel withWrong = ClientInterceptors.intercept(channel, ClusterSecretInterceptors.client(ClusterSecret.of(wrong)));
        assertThatThrownBy(() -> call(withWrong, "test.Echo"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).startsWith("wrong cluster secret")
                            .doesNotContain(wrong).doesNotContain(SECRET.value());
                });
        assertThat(served).hasValue(0);
    }

    @Test
    void aCallItsAdmissionClaimsIsServedWithoutTheSecretInTheAdmissionsContext() {
        assertThat(call(withPass("alice"), "test.Admitted")).isEqualTo("hello");
        assertThat(served).hasValue(1);
        assertThat(seenPass).hasValue("alice");
    }

    @Test
    void aCallItsAdmissionRefusesIsClosedWithItsStatusBeforeTheServiceRuns() {
        Channel withSecretToo = ClientInterceptors.intercept(withPass("refuse"), ClusterSecretInterceptors.client(SECRET));
        assertThatThrownBy(() -> call(withSecretToo, "test.Admitted"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("refused by the test admission");
                });
        assertThat(served).hasValue(0);
    }

    @Test
    void aCallItsAdmissionLeavesToTheSecretStillNeedsIt() {
        assertThatThrownBy(() -> call(channel, "test.Admitted")).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThat(served).hasValue(0);
        assertThat(call(ClientInterceptors.intercept(channel, ClusterSecretInterceptors.client(SECRET)), "test.Admitted"))
                .isEqualTo("hello");
        assertThat(seenPass).hasValue(null);
    }

    /** Claims calls with a pass: runs them with it in the context, or refuses the pass "refuse". */
    private static Optional<Context> admitByPass(ServerCall<?, ?> call, Metadata headers) {
        String pass = headers.get(PASS);
        if (pass == null) {
            return Optional.empty();
        }
        if (pass.equals("refuse")) {
            throw Status.PERMISSION_DENIED.withDescription("refused by the test admission").asRuntimeException();
        }
        return Optional.of(Context.current().withValue(PASS_IN_CONTEXT, pass));
    }

    private Channel withPass(String pass) {
        Metadata headers = new Metadata();
        headers.put(PASS, pass);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Test
    void theHealthServiceNeedsNoSecret() {
        assertThat(call(channel, ClusterSecretInterceptors.EXEMPT_SERVICE)).isEqualTo("hello");
    }

    @Test
    void secretsThatAreTooShortOrNotPrintableAreRejectedWithoutBeingShown() {
        assertThatThrownBy(() -> ClusterSecret.of("zq9x")).hasMessageContaining("too short")
                .hasMessageNotContaining("zq9x");
        assertThatThrownBy(() -> ClusterSecret.of(null)).hasMessageContaining("GRANARY_CLUSTER_SECRET");
        assertThatThrownBy(() -> ClusterSecret.of("with a space in it!!")).hasMessageContaining("printable");
        assertThat(ClusterSecret.generate().value()).hasSize(64);
        assertThat(SECRET.toString()).doesNotContain(SECRET.value());
        assertThat(ClusterSecurity.of(SECRET).toString()).doesNotContain(SECRET.value());
    }

    private String call(Channel on, String service) {
        return ClientCalls.blockingUnaryCall(on, method(service), CallOptions.DEFAULT, "hello");
    }

    private static MethodDescriptor<String, String> method(String service) {
        return MethodDescriptor.<String, String>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, "Echo"))
                .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();
    }

    private ServerServiceDefinition echo(String service) {
        return ServerServiceDefinition.builder(service)
                .addMethod(method(service), ServerCalls.asyncUnaryCall((request, observer) -> {
                    served.incrementAndGet();
                    seenPass.set(PASS_IN_CONTEXT.get());
                    observer.onNext(request);
                    observer.onCompleted();
                }))
                .build();
    }
}
