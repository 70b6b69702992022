package io.granary.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.grpc.ClusterSecurity;
import io.granary.master.testing.RedisFixture;
import io.granary.proto.Actor;
import io.granary.proto.GetFileRequest;
import io.granary.proto.ListDirectoryRequest;
import io.granary.proto.MakeDirectoryRequest;
import io.granary.proto.MasterServiceGrpc;
import io.granary.proto.MasterServiceGrpc.MasterServiceBlockingStub;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis ACL rules that docs/operations.md gives operators are enough to run the master: it
 * starts (loads its scripts, makes its admin token), writes and reads the namespace as that user.
 */
class RedisAclIT {
    private static final String MARKER = "<!-- granary-acl -->";

    @TempDir
    Path dir;

    @Test
    void aRedisUserWithTheDocumentedAclRulesRunsTheMaster() throws IOException {
        String password = "acl" + UUID.randomUUID().toString().replace("-", "");
        List<String> rule = documentedRule(password);
        try (RedisFixture redis = RedisFixture.start(dir)) {
            RedisClient admin = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> connection = admin.connect()) {
                CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).addValues(rule.subList(1, rule.size()));
                assertThat(connection.sync().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args))
                        .isEqualTo("OK");
            } finally {
                admin.shutdown();
            }
            String userUri = redis.uri().replaceFirst("//[^@]*@", "//granary:" + password + "@");

            try (MasterServer master = new MasterServer(MasterConfig.builder(userUri).port(0).build(), ClusterSecurity.none())) {
                master.start();
                assertThat(master.generatedAdminToken()).isPresent();
                ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", master.port(),
                        InsecureChannelCredentials.create()).build();
                try {
                    MasterServiceBlockingStub stub = MasterServiceGrpc.newBlockingStub(channel);
                    stub.makeDirectory(MakeDirectoryRequest.newBuilder().setPath("videos/2026")
                            .setActor(Actor.newBuilder().setPrincipalId("ops").setAdmin(true)).build());

                    assertThat(stub.listDirectory(ListDirectoryRequest.newBuilder().setPath("videos").build())
                            .toString()).contains("2026");
                    assertThat(stub.getFile(GetFileRequest.newBuilder().setPath("videos/2026").build()).getPath())
                            .contains("videos/2026");
                } finally {
                    channel.shutdownNow();
                }
            }
        }
    }

    /** The {@code ACL SETUSER} line after the marker in docs/operations.md, with the password filled in. */
    private static List<String> documentedRule(String password) throws IOException {
        List<String> lines = Files.readAllLines(projectRoot().resolve("docs/operations.md"));
        int marker = lines.indexOf(lines.stream().filter(line -> line.strip().equals(MARKER)).findFirst()
                .orElseThrow(() -> new AssertionError("docs/operations.md has no " + MARKER)));
        String rule = lines.stream().skip(marker).map(String::strip).filter(line -> line.startsWith("ACL SETUSER"))
                .findFirst().orElseThrow();
        return Arrays.stream(rule.split("\\s+")).map(word -> word.replace("PASSWORD", password)).toList();
    }

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("docs/operations.md"))) {
            dir = dir.getParent();
        }
        return dir;
    }
}
