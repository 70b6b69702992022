package io.granary.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.meta.DirectoryEntry;
import io.granary.common.meta.DirectoryPage;
import io.granary.common.meta.EntryType;
import io.granary.common.meta.FileMeta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * S3 lists keys in the byte order of the whole key; Granary lists a directory's names. These tests
 * hold the walk to S3's order over a tree whose directory names are prefixes of file names.
 */
class KeyWalkTest {
    /** The bucket "b" as a set of keys; directories are implied by slashes, listed in pages of 2. */
    private static final class Tree implements KeyWalk.Namespace {
        final TreeSet<String> keys = new TreeSet<>();
        int listCalls;

        Tree(String... keys) {
            this.keys.addAll(List.of(keys));
        }

        private TreeMap<String, EntryType> children(String dirKey) {
            TreeMap<String, EntryType> names = new TreeMap<>(KeyWalk.S3_ORDER);
            for (String key : keys) {
                if (key.startsWith(dirKey)) {
                    String rest = key.substring(dirKey.length());
                    int slash = rest.indexOf('/');
                    names.merge(slash < 0 ? rest : rest.substring(0, slash),
                            slash < 0 ? EntryType.FILE : EntryType.DIRECTORY, (a, b) -> EntryType.DIRECTORY);
                }
            }
            return names;
        }

        private static String dirKey(GranaryPath dir) {
            List<String> segments = dir.segments();
            return String.join("/", segments.subList(1, segments.size())) + (segments.size() > 1 ? "/" : "");
        }

        @Override
        public DirectoryPage list(GranaryPath dir, String after, int limit) {
            listCalls++;
            TreeMap<String, EntryType> names = children(dirKey(dir));
            if (names.isEmpty() && dir.segments().size() > 1) {
                throw new GranaryException(ErrorKind.NOT_FOUND, "no directory " + dir);
            }
            List<DirectoryEntry> page = new ArrayList<>();
            for (var e : names.tailMap(after, false).entrySet()) {
                if (page.size() == 2) {
                    return new DirectoryPage(page, page.get(1).name());
                }
                page.add(new DirectoryEntry(e.getKey(), e.getValue(), 1, Instant.EPOCH));
            }
            return new DirectoryPage(page, "");
        }

        @Override
        public Optional<FileMeta> stat(GranaryPath path) {
            GranaryPath dir = path.parent();
            EntryType type = children(dirKey(dir)).get(path.name());
            return type == null ? Optional.empty() : Optional.of(new FileMeta(path.toString(), type, 1, 1, 1, 1, "",
                    "", Instant.EPOCH, Instant.EPOCH, List.of()));
        }
    }

    private static List<String> walk(Tree tree, String prefix, String marker, boolean group) {
        List<String> keys = new ArrayList<>();
        Iterator<KeyWalk.Item> items = new KeyWalk(tree, "b").items(prefix, marker, group);
        items.forEachRemaining(item -> keys.add(item.key()));
        return keys;
    }

    private static final String[] KEYS = {"a-b", "a/x", "a/y/z", "a.txt", "a0", "b", "dir/sub/deep/f", "dir/é"};

    @Test
    void keysComeInTheByteOrderOfTheWholeKeyNotOfDirectoryNames() {
        Tree tree = new Tree(KEYS);
        assertThat(walk(tree, "", null, false)).containsExactlyElementsOf(new TreeSet<>(List.of(KEYS)));
        assertThat(walk(tree, "", null, false)).containsExactly("a-b", "a.txt", "a/x", "a/y/z", "a0", "b",
                "dir/sub/deep/f", "dir/é");
    }

    @Test
    void theSlashDelimiterShowsEachDirectoryOnceAsACommonPrefixInItsPlace() {
        assertThat(walk(new Tree(KEYS), "", null, true)).containsExactly("a-b", "a.txt", "a/", "a0", "b", "dir/");
        assertThat(walk(new Tree(KEYS), "dir/", null, true)).containsExactly("dir/sub/", "dir/é");
    }

    @Test
    void aPrefixInsideANameKeepsOnlyTheKeysThatBeginWithIt() {
        assertThat(walk(new Tree(KEYS), "a", null, false)).containsExactly("a-b", "a.txt", "a/x", "a/y/z", "a0");
        assertThat(walk(new Tree(KEYS), "a/y", null, false)).containsExactly("a/y/z");
        assertThat(walk(new Tree(KEYS), "nothing/here", null, false)).isEmpty();
    }

    @Test
    void aWalkResumedAfterAnyKeyGoesOnWithExactlyTheKeysAfterIt() {
        Tree tree = new Tree(KEYS);
        List<String> all = walk(tree, "", null, false);
        for (int i = 0; i < all.size(); i++) {
            assertThat(walk(tree, "", all.get(i), false)).as("after %s", all.get(i))
                    .containsExactlyElementsOf(all.subList(i + 1, all.size()));
        }
    }

    @Test
    void aGroupedWalkResumedAfterACommonPrefixDoesNotShowItAgain() {
        Tree tree = new Tree(KEYS);
        assertThat(walk(tree, "", "a/", true)).containsExactly("a0", "b", "dir/");
        assertThat(walk(tree, "", "a.txt", true)).containsExactly("a/", "a0", "b", "dir/");
    }
}
