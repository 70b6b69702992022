package io.granary.client;

import static io.granary.client.TestData.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.granary.common.meta.DirectoryEntry;
import io.granary.common.meta.DirectoryPage;
import io.granary.common.meta.EntryType;
import io.granary.common.meta.FileMeta;

import io.granary.client.fake.FakeClusterExtension;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The directory, rename, replication and conditional-upload calls, as the client maps them. */
class NamespaceCallsTest {
    @RegisterExtension
    final FakeClusterExtension fake = new FakeClusterExtension(3);

    @Test
    void mkdirsSaysWhetherItCreatedTheDirectory() {
        CreatedDirectory first = fake.client().mkdirs("/a/b");
        assertThat(first.created()).isTrue();
        assertThat(first.directory().isDirectory()).isTrue();
        assertThat(first.directory().path()).isEqualTo("/a/b");
        assertThat(fake.client().mkdirs("a/b/").created()).isFalse();
    }

    @Test
    void listingPagesCarryTheirCursorAndEachFilesDigests() {
        FileMeta x = upload("d/x", UploadOptions.defaults().withMd5(true));
        FileMeta y = upload("d/y", UploadOptions.defaults());
        upload("d/z", UploadOptions.defaults());

        DirectoryPage first = fake.client().list("/d", null, 2);
        assertThat(first.entries()).extracting(DirectoryEntry::name).containsExactly("x", "y");
        assertThat(first.entries().get(0).type()).isEqualTo(EntryType.FILE);
        assertThat(first.entries().get(0).size()).isEqualTo(10);
        assertThat(first.entries().get(0).etag()).isNotEmpty().isEqualTo(x.etag());
        assertThat(first.entries().get(0).sha256()).isNotEmpty().isEqualTo(x.sha256());
        assertThat(first.entries().get(1).etag()).isEmpty();
        assertThat(first.entries().get(1).sha256()).isEqualTo(y.sha256());
        assertThat(first.hasNext()).isTrue();
        DirectoryPage last = fake.client().list("/d", first.next(), 2);
        assertThat(last.entries()).extracting(DirectoryEntry::name).containsExactly("z");
        assertThat(last.hasNext()).isFalse();
        assertThat(fake.client().stat("/d").files()).isEqualTo(3);
    }

    @Test
    void renameDeleteAndReplicationReachTheMaster() {
        upload("r/f", UploadOptions.defaults());

        assertThat(fake.client().rename("/r/f", "/s/g", false).path()).isEqualTo("/s/g");
        assertThat(fake.client().setReplication("/s/g", 3).replication()).isEqualTo(3);
        assertThat(fake.client().deleteDirectory("/s", true)).isEqualTo(1);
        assertKind(() -> fake.client().stat("/s/g"), ErrorKind.NOT_FOUND);
        assertKind(() -> fake.client().setReplication("/", 3), ErrorKind.INVALID_ARGUMENT);
    }

    @Test
    void aFailedWritePreconditionArrivesAsItsOwnKind() {
        FileMeta file = upload("c", UploadOptions.defaults().withIfNoneMatch(true));

        assertKind(() -> upload("c", UploadOptions.defaults().withIfNoneMatch(true)), ErrorKind.PRECONDITION_FAILED);
        assertKind(() -> upload("c", UploadOptions.defaults().withIfMatch("0".repeat(64))),
                ErrorKind.PRECONDITION_FAILED);
        assertThat(upload("c", UploadOptions.defaults().withIfMatch(file.sha256())).inode())
                .isNotEqualTo(file.inode());
        assertThat(fake.cluster().master.started).as("failed before any upload was opened").hasSize(2);
    }

    private FileMeta upload(String path, UploadOptions options) {
        return fake.client().upload(path, new ByteArrayInputStream(randomBytes(10)), options);
    }

    private static void assertKind(Runnable call, ErrorKind kind) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(GranaryException.class,
                e -> assertThat(e.kind()).isEqualTo(kind));
    }
}
