package io.granary.master.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.granary.common.ByteSize;
import io.granary.master.testing.MasterFixture;
import io.granary.master.testing.RawRedis;
import io.granary.master.testing.SharedRedis;
import io.granary.proto.DeleteFileRequest;
import io.granary.proto.MasterServiceGrpc.MasterServiceBlockingStub;
import io.granary.proto.RenameRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup taken while a writer keeps changing the namespace is one point in time: in what it
 * restores, every directory's {@code size} and {@code files} counters equal the sum of the files below
 * it, every name listed in {@code names:<id>} is an entry of {@code dir:<id>}, every entry's inode
 * exists and every committed chunk's file exists. Each commit, delete and rename changes several of
 * those keys in one script, so a snapshot read partly before and partly after one breaks them.
 */
class BackupConsistencyIT {
    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("consistent");

    static final int BACKUPS = 6;

    @TempDir
    Path dir;

    @Test
    void aBackupTakenWhileAWriterChangesTheNamespaceRestoresOnePointInTime() throws Exception {
        String prefix = redis.newPrefix();
        try (MasterFixture cluster = MasterFixture.start(redis.uri(),
                c -> c.keyPrefix(prefix).defaultChunkSizeBytes(64 * ByteSize.KIB));
             RawRedis raw = RawRedis.connect(redis.uri())) {
            cluster.addChunkServer("cs-1");
            for (int i = 0; i < 300; i++) {
                cluster.upload("base/" + (i % 30) + "/f" + i, 1 + i, 1); // keys enough for many SCAN pages
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger changes = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> write(cluster, stop, changes, failure), "writer");
            writer.start();
            try {
                for (int b = 0; b < BACKUPS; b++) {
                    int before = changes.get();
                    await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() >= before + 20);
                    Path file = dir.resolve("backup-" + b);
                    try (MetadataBackup backup = MetadataBackup.connect(redis.uri(), Duration.ofSeconds(2), prefix)) {
                        backup.backup(file, MetadataBackup.DEFAULT_MAX_PAUSE);
                    }
                    String restored = redis.newPrefix();
                    try (MetadataBackup target = MetadataBackup.connect(redis.uri(), Duration.ofSeconds(2), restored)) {
                        target.restore(file);
                    }
                    assertConsistent(raw, restored);
                }
            } finally {
                stop.set(true);
                writer.join();
            }
            assertThat(failure.get()).as("the writer's failure").isNull();
            assertThat(changes.get()).isGreaterThan(BACKUPS * 20);
        }
    }

    /** Commits pairs of files under new directories, moves one of each pair and deletes the other later. */
    private static void write(MasterFixture cluster, AtomicBoolean stop, AtomicInteger changes,
                              AtomicReference<Throwable> failure) {
        MasterServiceBlockingStub master = cluster.master();
        try {
            for (int i = 0; !stop.get(); i++) {
                cluster.upload("w/d" + i + "/a", 100 + i, 1);
                cluster.upload("w/d" + i + "/b", 7, 1);
                master.rename(RenameRequest.newBuilder().setFrom("w/d" + i + "/b").setTo("moved/d" + i + "/b").build());
                if (i > 0) {
                    master.deleteFile(DeleteFileRequest.newBuilder().setPath("w/d" + (i - 1) + "/a").build());
                }
                changes.addAndGet(4);
            }
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    private static void assertConsistent(RawRedis raw, String prefix) {
        Map<String, String> root = raw.commands().hgetall(prefix + ":inode:1");
        assertThat(root).as("the restored root").containsKey("files");
        long[] usage = usage(raw, prefix, "1");
        assertThat(usage[1]).as("files restored").isGreaterThanOrEqualTo(300);
        raw.commands().hgetall(prefix + ":chunk").forEach((handle, owner) ->
                assertThat(raw.commands().exists(prefix + ":inode:" + owner.substring(0, owner.indexOf(':'))))
                        .as("the file of committed chunk %s", handle).isEqualTo(1L));
    }

    /** The size and file count below directory {@code id}, checked against its inode's counters. */
    private static long[] usage(RawRedis raw, String prefix, String id) {
        Map<String, String> entries = raw.commands().hgetall(prefix + ":dir:" + id);
        assertThat(new HashSet<>(raw.commands().zrange(prefix + ":names:" + id, 0, -1)))
                .as("names of directory %s", id).isEqualTo(entries.keySet());
        long size = 0;
        long files = 0;
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            String child = entry.getValue().substring(2);
            if (entry.getValue().startsWith("f:")) {
                String childSize = raw.commands().hget(prefix + ":inode:" + child, "size");
                assertThat(childSize).as("inode of file %s in directory %s", entry.getKey(), id).isNotNull();
                size += Long.parseLong(childSize);
                files++;
            } else {
                long[] below = usage(raw, prefix, child);
                size += below[0];
                files += below[1];
            }
        }
        Map<String, String> inode = raw.commands().hgetall(prefix + ":inode:" + id);
        assertThat(inode).as("usage counters of directory %s", id)
                .containsEntry("size", Long.toString(size)).containsEntry("files", Long.toString(files));
        return new long[] {size, files};
    }
}
