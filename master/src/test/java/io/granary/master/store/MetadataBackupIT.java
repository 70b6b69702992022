package io.granary.master.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.ByteSize;
import io.granary.common.GranaryPath;
import io.granary.common.net.Cidr;
import io.granary.master.access.Grant;
import io.granary.master.auth.TokenRecord;
import io.granary.master.testing.MasterFixture;
import io.granary.master.testing.RawRedis;
import io.granary.master.testing.RawRedis.Entry;
import io.granary.master.testing.RedisFixture;
import io.granary.master.testing.SharedRedis;
import io.granary.proto.AllocateChunkRequest;
import io.granary.proto.ChunkInfo;
import io.granary.proto.DeleteFileRequest;
import io.granary.proto.DirectoryEntry;
import io.granary.proto.FileInfo;
import io.granary.proto.GetFileRequest;
import io.granary.proto.ListDirectoryRequest;
import io.granary.proto.MakeDirectoryRequest;
import io.granary.proto.MasterServiceGrpc.MasterServiceBlockingStub;
import io.granary.proto.StartUploadRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup of a namespace built through the master, restored into another Redis: the same keys,
 * values and times to live, and a master there that serves the same files.
 */
class MetadataBackupIT {
    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("backup");

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final long DAY_MS = Duration.ofDays(1).toMillis();

    @TempDir
    Path dir;

    @Test
    void aBackupRestoredIntoAnotherRedisHoldsTheSameKeysAndAMasterThereServesTheSameFiles() throws IOException {
        String prefix = redis.newPrefix();
        List<FileInfo> files = buildNamespace(prefix);
        Map<String, Entry> original;
        try (RawRedis raw = RawRedis.connect(redis.uri())) {
            original = raw.dump(prefix);
        }
        Path file = dir.resolve("namespace.backup");

        MetadataBackup.Summary taken;
        try (MetadataBackup backup = MetadataBackup.connect(redis.uri(), TIMEOUT, prefix)) {
            taken = backup.backup(file, MetadataBackup.DEFAULT_MAX_PAUSE);
        }

        assertThat(original).as("a lease held at the backup").containsKey("master:lease");
        original.remove("master:lease");
        assertThat(original).as("the audit log of the changes made").containsKey("audit");
        original.remove("audit");
        assertThat(taken.keys()).isEqualTo(original.size());
        assertThat(taken.schema()).isEqualTo(RedisMetadataStore.SCHEMA_VERSION);
        assertThat(taken.writesPaused()).isPositive().isLessThan(MetadataBackup.DEFAULT_MAX_PAUSE);
        try (RedisFixture other = RedisFixture.start(dir.resolve("other"));
             RawRedis restored = RawRedis.connect(other.uri())) {
            MetadataBackup.Summary written;
            try (MetadataBackup backup = MetadataBackup.connect(other.uri(), TIMEOUT, prefix)) {
                written = backup.restore(file);
            }

            assertThat(written.keysByType()).isEqualTo(taken.keysByType())
                    .containsKeys("string", "hash", "list", "set", "zset");
            Map<String, Entry> copy = restored.dump(prefix);
            // the handle counter alone is moved on: see handlesGivenOutAfterTheBackupAreNeverGivenOutAgain
            assertThat(Long.parseLong((String) copy.remove("counter:handle").value()))
                    .isGreaterThan(Long.parseLong((String) original.remove("counter:handle").value()));
            assertSameKeys(copy, original);
            try (MasterFixture master = MasterFixture.start(other.uri(), c -> c.keyPrefix(prefix))) {
                // the chunkserver comes back with its chunks, as after any master restart (safe mode ends)
                master.addChunkServer("cs-1", files.stream().flatMap(f -> f.getChunksList().stream())
                        .map(ChunkInfo::getHandle).toArray(Long[]::new));
                assertServes(master.master(), files);
                assertThat(master.server().active()).isTrue();
                assertThat(Long.parseLong(restored.commands().get(prefix + ":master:epoch")))
                        .as("epochs go on growing").isGreaterThan(Long.parseLong((String) original.get("master:epoch").value()));
            }
        }
    }

    @Test
    void handlesGivenOutAfterTheBackupAreNeverGivenOutAgainAfterARestore() throws IOException {
        String prefix = redis.newPrefix();
        Path file = dir.resolve("namespace.backup");
        FileInfo before;
        try (MasterFixture cluster = MasterFixture.start(redis.uri(), c -> c.keyPrefix(prefix))) {
            cluster.addChunkServer("cs-1");
            before = cluster.upload("before.bin", 10, 1);
            try (MetadataBackup backup = MetadataBackup.connect(redis.uri(), TIMEOUT, prefix)) {
                backup.backup(file, MetadataBackup.DEFAULT_MAX_PAUSE);
            }
        }
        // after the backup the cluster goes on: another master reserves handles past those the backup knows
        long lastAfterBackup;
        try (RawRedis raw = RawRedis.connect(redis.uri())) {
            for (int i = 0; i < 3; i++) {
                raw.commands().incrby(prefix + ":counter:handle", 128);
            }
            lastAfterBackup = Long.parseLong(raw.commands().get(prefix + ":counter:handle"));
        }
        try (RedisFixture other = RedisFixture.start(dir.resolve("other"))) {
            try (MetadataBackup backup = MetadataBackup.connect(other.uri(), TIMEOUT, prefix)) {
                backup.restore(file);
            }
            try (MasterFixture master = MasterFixture.start(other.uri(), c -> c.keyPrefix(prefix))) {
                master.addChunkServer("cs-1", before.getChunks(0).getHandle());
                FileInfo after = master.upload("after.bin", 10, 1);

                assertThat(after.getChunks(0).getHandle()).as("a handle the lost cluster may have written")
                        .isGreaterThan(lastAfterBackup);
            }
        }
    }

    /** Files, directories, a deleted file's trash, an open upload, a token, a grant and a lease. */
    private List<FileInfo> buildNamespace(String prefix) {
        List<FileInfo> files;
        try (MasterFixture cluster = MasterFixture.start(redis.uri(),
                c -> c.keyPrefix(prefix).defaultChunkSizeBytes(64 * ByteSize.KIB))) {
            cluster.addChunkServer("cs-1");
            MasterServiceBlockingStub master = cluster.master();
            files = List.of(cluster.upload("docs/readme.txt", 100, 1), cluster.upload("docs/deep/data.bin", 200_000, 1));
            cluster.upload("gone.bin", 10, 1);
            master.deleteFile(DeleteFileRequest.newBuilder().setPath("gone.bin").build());
            master.makeDirectory(MakeDirectoryRequest.newBuilder().setPath("empty/dir").build());
            String open = master.startUpload(StartUploadRequest.newBuilder().setPath("open.bin").setReplication(1).build())
                    .getUploadId();
            master.allocateChunk(AllocateChunkRequest.newBuilder().setUploadId(open).setIndex(0).build());
        }
        long now = System.currentTimeMillis();
        try (RedisMetadataStore store = RedisMetadataStore.connect(redis.uri(), TIMEOUT, prefix)) {
            store.tokens().save("ab".repeat(32), new TokenRecord("tok_0123456789abcdef", "ci", "writer", now, 0),
                    io.granary.common.Actor.SYSTEM);
            store.grants().put(new Grant("cd".repeat(16), GranaryPath.of("docs"), Cidr.parse("203.0.113.0/24"), now,
                    now + DAY_MS, "tok_0123456789abcdef"), io.granary.common.Actor.SYSTEM);
            assertThat(store.lease().acquire("gone:7070", Duration.ofMinutes(1)).acquired()).isTrue();
        }
        return files;
    }

    static void assertSameKeys(Map<String, Entry> copy, Map<String, Entry> original) {
        assertThat(copy.keySet()).isEqualTo(original.keySet());
        original.forEach((key, entry) -> {
            Entry restored = copy.get(key);
            assertThat(restored.type()).as("type of %s", key).isEqualTo(entry.type());
            assertThat(restored.value()).as("value of %s", key).isEqualTo(entry.value());
            if (entry.ttlMs() < 0) {
                assertThat(restored.ttlMs()).as("no time to live on %s", key).isEqualTo(-1);
            } else {
                assertThat(restored.ttlMs()).as("time to live of %s", key)
                        .isPositive().isLessThanOrEqualTo(entry.ttlMs()).isGreaterThan(entry.ttlMs() - 30_000);
            }
        });
    }

    private static void assertServes(MasterServiceBlockingStub master, List<FileInfo> files) {
        for (FileInfo file : files) {
            FileInfo served = master.getFile(GetFileRequest.newBuilder().setPath(file.getPath()).build());
            assertThat(served.toBuilder().clearChunks().build()).isEqualTo(file.toBuilder().clearChunks().build());
            assertThat(served.getChunksList()).extracting(ChunkInfo::getHandle)
                    .isEqualTo(file.getChunksList().stream().map(ChunkInfo::getHandle).toList());
        }
        assertThat(master.listDirectory(ListDirectoryRequest.newBuilder().setPath("docs").build()).getEntriesList())
                .extracting(DirectoryEntry::getName).containsExactly("deep", "readme.txt");
        assertThat(master.listDirectory(ListDirectoryRequest.newBuilder().setPath("").build()).getEntriesList())
                .extracting(DirectoryEntry::getName).containsExactly("docs", "empty");
    }
}
