package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.granary.client.UploadOptions;
import io.granary.client.UploadOutcomeUnknownException;
import io.granary.common.ByteSize;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.meta.FileMeta;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An upload whose commit meets a stalled Redis answers only what is true: the file (201), or a failure
 * (503 nothing changed, 504 outcome unknown) after which the file never appears, even once Redis runs
 * the commands it held. Redis is real and stalled with CLIENT PAUSE WRITE.
 */
class UploadOutcomeIT {
    static final long CHUNK = 256 * ByteSize.KIB;
    /** Longer than the master's Redis timeout (2 s), so the commit and its retries time out. */
    static final Duration STALL = Duration.ofSeconds(10);

    @RegisterExtension
    final MiniGranary cluster = MiniGranary.builder().chunkSize(CHUNK).build();

    @Test
    void anUploadWhoseCommitMeetsAStalledRedisAnswersTheFileOrAFailureAfterWhichTheFileNeverAppears() {
        // whole chunks: every chunk is allocated and written before the end of the body is read, so the
        // commit is the next Redis write
        long size = 2 * CHUNK;
        InputStream body = new StallRedisAtEnd(TestBytes.stream(9, size));

        FileMeta committed = null;
        GranaryException failure = null;
        try {
            committed = cluster.client().upload("stalled/a.bin", body, UploadOptions.defaults());
        } catch (GranaryException e) {
            failure = e;
        }

        cluster.redis().resumeWrites();
        // a write through the master runs after every command it sent while Redis was stalled
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(GranaryException.class)
                .until(() -> cluster.client().mkdirs("after-the-stall") != null);
        if (committed != null) {
            assertThat(cluster.client().stat("stalled/a.bin").inode()).isEqualTo(committed.inode());
        } else {
            assertThat(failure).satisfiesAnyOf(
                    e -> assertThat(((GranaryException) e).kind()).isEqualTo(ErrorKind.UNAVAILABLE),
                    e -> assertThat(e).isInstanceOf(UploadOutcomeUnknownException.class));
            GranaryException gone = null;
            try {
                cluster.client().stat("stalled/a.bin");
            } catch (GranaryException e) {
                gone = e;
            }
            assertThat(gone).as("no file after " + failure.getMessage()).isNotNull();
            assertThat(gone.kind()).isEqualTo(ErrorKind.NOT_FOUND);
        }
    }

    /** A body that stalls Redis's writes the moment the uploader reads its end. */
    private final class StallRedisAtEnd extends FilterInputStream {
        private boolean stalled;

        StallRedisAtEnd(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0 && !stalled) {
                stalled = true;
                cluster.redis().pauseWrites(STALL);
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            int n = super.read();
            if (n < 0 && !stalled) {
                stalled = true;
                cluster.redis().pauseWrites(STALL);
            }
            return n;
        }
    }
}
