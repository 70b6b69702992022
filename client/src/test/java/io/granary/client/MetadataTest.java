package io.granary.client;

import static io.granary.client.TestData.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.granary.common.meta.EntryType;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.Replica;

import io.granary.client.fake.FakeClusterExtension;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MetadataTest {
    @RegisterExtension
    final FakeClusterExtension fake = new FakeClusterExtension(3);

    @Test
    void statDescribesAFileWithItsChunkLayout() {
        fake.client().upload("docs/a.txt", new ByteArrayInputStream(randomBytes(100)),
                UploadOptions.defaults().withContentType("text/plain").withReplication(3));

        FileMeta file = fake.client().stat("/docs/a.txt/");

        assertThat(file.path()).isEqualTo("/docs/a.txt");
        assertThat(file.type()).isEqualTo(EntryType.FILE);
        assertThat(file.contentType()).isEqualTo("text/plain");
        assertThat(file.replication()).isEqualTo(3);
        assertThat(file.created()).isAfter(Instant.EPOCH);
        assertThat(file.chunks()).singleElement().satisfies(chunk -> {
            assertThat(chunk.size()).isEqualTo(100);
            assertThat(chunk.replicas()).extracting(Replica::chunkserverId).containsExactly("cs-1", "cs-2", "cs-3");
        });
    }

    @Test
    void statOfTheRootIsADirectory() {
        FileMeta root = fake.client().stat("/");

        assertThat(root.path()).isEqualTo("/");
        assertThat(root.isDirectory()).isTrue();
        assertThat(root.chunks()).isEmpty();
    }

    @Test
    void deletedFileIsGone() {
        fake.client().upload("a", new ByteArrayInputStream(new byte[1]), UploadOptions.defaults());

        fake.client().delete("a");

        assertThatThrownBy(() -> fake.client().stat("a")).isInstanceOfSatisfying(GranaryException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(e.getMessage()).isEqualTo("no file or directory at /a");
        });
    }

    @Test
    void clusterViewCountsLiveChunkservers() {
        fake.cluster().chunkserver(3).markDead();

        ClusterView view = fake.client().cluster();

        assertThat(view.masterId()).isEqualTo("fake-master");
        assertThat(view.chunkservers()).extracting(ChunkServerView::id).containsExactly("cs-1", "cs-2", "cs-3");
        assertThat(view.liveCount()).isEqualTo(2);
        assertThat(view.chunkservers().get(2).lastHeartbeat()).isNull();
        assertThat(view.defaultReplication()).isEqualTo(2);
    }

    @Test
    void masterStatusBecomesTheSameErrorKindWithItsMessage() {
        fake.cluster().master.failWith(Status.UNAVAILABLE.withDescription("metadata store unreachable"));

        assertThatThrownBy(() -> fake.client().cluster()).isInstanceOfSatisfying(GranaryException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
            assertThat(e.getMessage()).isEqualTo("metadata store unreachable");
        });
    }

    @Test
    void invalidOptionsAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> ClientOptions.defaults().withPieceSizeBytes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("piece size");
        assertThatThrownBy(() -> new UploadOptions(-1, 0, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replication");
    }
}
