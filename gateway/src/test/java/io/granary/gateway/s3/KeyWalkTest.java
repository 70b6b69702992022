package io.granary.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * S3 lists keys in the byte order of the whole key; Granary lists a directory's names. These tests
 * hold the walk to S3's order over a tree whose directory names are prefixes of file names.
 */
class KeyWalkTest {
    /** Every file's SHA-256 in these trees. */
    private static final String SHA = "0123456789abcdef".repeat(4);

    /**
     * The bucket "b" as a set of keys; directories are implied by slashes. Answers pages of at most
     * {@code pageCap} names however many are asked (2 unless told), and records each limit asked.
     */
    private static final class Tree implements KeyWalk.Namespace {
        final TreeSet<String> keys = new TreeSet<>();
        /** Keys whose files have a stored etag, and that etag; the others have none. */
        final Map<String, String> etags = new java.util.HashMap<>();
        final List<Integer> limitsAsked = new ArrayList<>();
        int statCalls;
        private final int pageCap;

        Tree(String... keys) {
            this(2, keys);
        }

        Tree(int pageCap, String... keys) {
            this.pageCap = pageCap;
            this.keys.addAll(List.of(keys));
        }

        private String etag(String dirKey, String name) {
            return etags.getOrDefault(dirKey + name, "");
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
            limitsAsked.add(limit);
            String dirKey = dirKey(dir);
            TreeMap<String, EntryType> names = children(dirKey);
            if (names.isEmpty() && dir.segments().size() > 1) {
                throw new GranaryException(ErrorKind.NOT_FOUND, "no directory " + dir);
            }
            int size = Math.min(limit, pageCap);
            List<DirectoryEntry> page = new ArrayList<>();
            for (var e : names.tailMap(after, false).entrySet()) {
                if (page.size() == size) {
                    return new DirectoryPage(page, page.get(size - 1).name());
                }
                boolean file = e.getValue() == EntryType.FILE;
                page.add(new DirectoryEntry(e.getKey(), e.getValue(), 1, Instant.EPOCH, file ? SHA : "",
                        file ? etag(dirKey, e.getKey()) : ""));
            }
            return new DirectoryPage(page, "");
        }

        @Override
        public Optional<FileMeta> stat(GranaryPath path) {
            statCalls++;
            GranaryPath dir = path.parent();
            EntryType type = children(dirKey(dir)).get(path.name());
            if (type == null) {
                return Optional.empty();
            }
            boolean file = type == EntryType.FILE;
            return Optional.of(new FileMeta(path.toString(), type, 1, 1, 1, 1, file ? SHA : "", "", Instant.EPOCH,
                    Instant.EPOCH, List.of(), 0, "", null, file ? etag(dirKey(dir), path.name()) : "", Map.of()));
        }
    }

    private static List<String> walk(Tree tree, String prefix, String marker, boolean group) {
        return walk(tree, prefix, marker, group, KeyWalk.PAGE);
    }

    /** Every key of the walk, though the caller said it wanted only {@code wanted}. */
    private static List<String> walk(Tree tree, String prefix, String marker, boolean group, int wanted) {
        List<String> keys = new ArrayList<>();
        Iterator<KeyWalk.Item> items = new KeyWalk(tree, "b").items(prefix, marker, group, wanted);
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
    void theOrderHoldsWhenTheMasterIsAskedForOneNameFirstAndGrowingPagesAfter() {
        Tree tree = new Tree(Integer.MAX_VALUE, KEYS);
        List<String> all = walk(tree, "", null, false);
        assertThat(walk(tree, "", null, false, 1)).containsExactlyElementsOf(all);
        assertThat(walk(tree, "", null, true, 1)).containsExactly("a-b", "a.txt", "a/", "a0", "b", "dir/");
        for (int i = 0; i < all.size(); i++) {
            assertThat(walk(tree, "", all.get(i), false, 1)).as("after %s", all.get(i))
                    .containsExactlyElementsOf(all.subList(i + 1, all.size()));
        }
    }

    @Test
    void aFewWantedItemsAskTheMasterForThatManyNamesInOnePage() {
        Tree tree = new Tree(Integer.MAX_VALUE, numbered("k", 50));
        Iterator<KeyWalk.Item> items = new KeyWalk(tree, "b").items("", null, false, 4);

        List<String> taken = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            taken.add(items.next().key());
        }

        assertThat(taken).containsExactly("k0000", "k0001", "k0002", "k0003");
        assertThat(tree.limitsAsked).containsExactly(4);
    }

    @Test
    void aWalkGoingOnPastWhatItWantedAsksForDoublingPagesUpToTheMost() {
        String[] keys = numbered("k", 2100);
        Tree tree = new Tree(Integer.MAX_VALUE, keys);

        assertThat(walk(tree, "", null, false, 1)).containsExactly(keys);
        assertThat(tree.limitsAsked).containsExactly(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000, 1000);
    }

    @Test
    void eachDirectoryAsksForWhatTheCallerStillWants() {
        Tree tree = new Tree(Integer.MAX_VALUE, "a/1", "a/2", "a/3", "b/1", "b/2", "b/3");
        Iterator<KeyWalk.Item> items = new KeyWalk(tree, "b").items("", null, false, 5);

        for (int i = 0; i < 5; i++) {
            items.next();
        }

        assertThat(tree.limitsAsked).as("the bucket, a, then b after three of a's keys were taken")
                .containsExactly(5, 5, 2);
    }

    @Test
    void aListedFileCarriesItsETagWithoutAStat() {
        Tree tree = new Tree("tagged", "plain", "dir/inner");
        tree.etags.put("tagged", "d41d8cd98f00b204e9800998ecf8427e-3");
        tree.etags.put("dir/inner", "900150983cd24fb0d6963f7d28e17f72");
        List<KeyWalk.Item> items = new ArrayList<>();

        new KeyWalk(tree, "b").items("", null, false, 10).forEachRemaining(items::add);

        assertThat(items).extracting(KeyWalk.Item::key, KeyWalk.Item::etag).containsExactly(
                tuple("dir/inner", "\"900150983cd24fb0d6963f7d28e17f72\""),
                tuple("plain", "\"0123456789abcdef0123456789abcdef-1\""),
                tuple("tagged", "\"d41d8cd98f00b204e9800998ecf8427e-3\""));
        assertThat(tree.statCalls).isZero();
    }

    @Test
    void aFileFoundByItsNameAtThePrefixCarriesItsETagToo() {
        Tree tree = new Tree("tagged", "tagged-not");
        tree.etags.put("tagged", "900150983cd24fb0d6963f7d28e17f72");
        List<KeyWalk.Item> items = new ArrayList<>();

        new KeyWalk(tree, "b").items("tagged", null, false, 10).forEachRemaining(items::add);

        assertThat(items).extracting(KeyWalk.Item::key, KeyWalk.Item::etag).containsExactly(
                tuple("tagged", "\"900150983cd24fb0d6963f7d28e17f72\""),
                tuple("tagged-not", "\"0123456789abcdef0123456789abcdef-1\""));
    }

    @Test
    void aCommonPrefixHasNoETag() {
        List<KeyWalk.Item> items = new ArrayList<>();
        new KeyWalk(new Tree(KEYS), "b").items("dir/", null, true, 10).forEachRemaining(items::add);

        assertThat(items).extracting(KeyWalk.Item::key, KeyWalk.Item::commonPrefix, KeyWalk.Item::etag)
                .containsExactly(tuple("dir/sub/", true, ""),
                        tuple("dir/é", false, "\"0123456789abcdef0123456789abcdef-1\""));
    }

    @Test
    void aGroupedWalkResumedAfterACommonPrefixDoesNotShowItAgain() {
        Tree tree = new Tree(KEYS);
        assertThat(walk(tree, "", "a/", true)).containsExactly("a0", "b", "dir/");
        assertThat(walk(tree, "", "a.txt", true)).containsExactly("a/", "a0", "b", "dir/");
    }

    private static String[] numbered(String prefix, int count) {
        String[] keys = new String[count];
        for (int i = 0; i < count; i++) {
            keys[i] = String.format("%s%04d", prefix, i);
        }
        return keys;
    }
}
