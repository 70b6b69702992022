package io.granary.master.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.ByteSize;
import io.granary.master.testing.MasterFixture;
import io.granary.master.testing.SharedRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How long a backup holds writes for a namespace of 10,000 files (quoted in docs/operations.md). */
class BackupPauseIT {
    private static final Logger log = LoggerFactory.getLogger(BackupPauseIT.class);
    static final int FILES = 10_000;

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("pause");

    @TempDir
    Path dir;

    @Test
    void aBackupOfTenThousandFilesHoldsWritesLessThanTheDefaultLimit() throws IOException {
        String prefix = redis.newPrefix();
        try (MasterFixture cluster = MasterFixture.start(redis.uri(),
                c -> c.keyPrefix(prefix).defaultChunkSizeBytes(64 * ByteSize.KIB))) {
            cluster.addChunkServer("cs-1");
            for (int i = 0; i < FILES; i++) {
                cluster.upload("data/" + (i % 100) + "/file-" + i, 1 + i, 1);
            }
        }
        Path file = dir.resolve("ten-thousand.backup");

        MetadataBackup.Summary first;
        MetadataBackup.Summary second;
        try (MetadataBackup backup = MetadataBackup.connect(redis.uri(), Duration.ofSeconds(2), prefix)) {
            first = backup.backup(file, MetadataBackup.DEFAULT_MAX_PAUSE);
            second = backup.backup(file, MetadataBackup.DEFAULT_MAX_PAUSE);
        }

        log.info("backup of {} files: {} keys {}, {} bytes; writes held {} ms (first run), {} ms (second run)", FILES,
                second.keys(), second.keysByType(), Files.size(file), first.writesPaused().toMillis(),
                second.writesPaused().toMillis());
        assertThat(second.keys()).isGreaterThan(2L * FILES);
        assertThat(second.writesPaused()).isLessThan(MetadataBackup.DEFAULT_MAX_PAUSE);
    }
}
