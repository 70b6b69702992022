package io.granary.gateway.s3;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.meta.DirectoryEntry;
import io.granary.common.meta.DirectoryPage;
import io.granary.common.meta.EntryType;
import io.granary.common.meta.FileMeta;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Walks a bucket's keys in S3's order, the byte order of the whole key, over Granary's directories.
 * A directory {@code d} holds exactly the keys that begin with {@code d/}, so within one directory its
 * entries are visited in the order of their names, a directory's name counted with a trailing
 * {@code /}: file {@code a-b} comes before directory {@code a}, whose keys begin with {@code a/}.
 * The master lists names in byte order, so a directory is held back until the names that sort
 * between {@code a} and {@code a/} have gone by.
 *
 * <p>With the delimiter {@code /}, a directory is one common prefix and is not entered; without a
 * delimiter every directory below the prefix is entered. Nothing but the held-back directories of one
 * level is kept. Each listed file carries its digests, so an item has its ETag without a lookup.
 *
 * <p>A directory's first page asks the master for as many names as the caller still wants (so a
 * small {@code max-keys} reads a small page), at most {@link #PAGE}; each further page of the same
 * directory asks for that many again or twice the previous page, whichever is more, up to
 * {@link #PAGE}, so names that yield no item (keys folded into one common prefix, empty directories)
 * cost few round trips.
 */
final class KeyWalk {
    /** The most names asked of the master at a time. */
    static final int PAGE = 1000;
    /** Code-point order, which is UTF-8 byte order, S3's. */
    static final Comparator<String> S3_ORDER = KeyWalk::compareCodePoints;

    /**
     * One thing a listing shows: an object, or (with the delimiter) a common prefix.
     *
     * @param etag the object's ETag as S3 shows it, quoted ({@link ObjectHeaders#etag(String, String)});
     *             "" for a common prefix
     */
    record Item(String key, boolean commonPrefix, long size, java.time.Instant modified, String etag) {
    }

    /** How the walk reads the namespace: a directory's page of names, and one entry's metadata. */
    interface Namespace {
        DirectoryPage list(GranaryPath dir, String after, int limit);

        Optional<FileMeta> stat(GranaryPath path);
    }

    private final Namespace namespace;
    private final String bucket;

    KeyWalk(Namespace namespace, String bucket) {
        this.namespace = namespace;
        this.bucket = bucket;
    }

    /**
     * The items whose keys begin with {@code prefix} and come after {@code marker} (null for none) in
     * S3's order. With {@code groupByDirectory} (delimiter {@code /}) the directories just below the
     * prefix are common prefixes ({@code dir/}); otherwise their keys are walked. Lazy: the master is
     * asked as the iterator advances.
     *
     * @param wanted how many items the caller means to take: sizes the pages asked of the master, never
     *               what the iterator yields (it goes on past that number, listing further pages)
     */
    Iterator<Item> items(String prefix, String marker, boolean groupByDirectory, int wanted) {
        int slash = prefix.lastIndexOf('/');
        String dirKey = prefix.substring(0, slash + 1); // "" or "a/b/"
        String namePrefix = prefix.substring(slash + 1);
        GranaryPath dir = dirKey.isEmpty() ? GranaryPath.of(bucket)
                : GranaryPath.of(bucket + "/" + dirKey.substring(0, dirKey.length() - 1));
        String from = marker != null && compareCodePoints(marker, prefix) >= 0 ? marker : null;
        Demand demand = new Demand(wanted);
        Level top = new Level(dir, dirKey, namePrefix, from, groupByDirectory, demand);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return top.hasNext();
            }

            @Override
            public Item next() {
                Item item = top.next();
                demand.took();
                return item;
            }
        };
    }

    /** The items a walk's caller still wants, which sizes the pages asked of the master. */
    private static final class Demand {
        private int remaining;

        Demand(int wanted) {
            this.remaining = wanted;
        }

        void took() {
            remaining = Math.max(0, remaining - 1);
        }

        /** Names to ask for: the items still wanted, or twice the previous page, within 1 and {@link #PAGE}. */
        int pageAfter(int previous) {
            return Math.max(1, Math.min(PAGE, Math.max(remaining, 2 * previous)));
        }
    }

    /** The entries of one directory, in S3's order, after a marker; entering subdirectories unless grouping. */
    private final class Level implements Iterator<Item> {
        private final GranaryPath dir;
        private final String dirKey;
        private final String namePrefix;
        private final String marker;
        private final boolean group;
        private final Demand demand;
        /** Directories seen but not yet due, by their name with the trailing slash. */
        private final TreeMap<String, DirectoryEntry> heldBack = new TreeMap<>(S3_ORDER);
        private Iterator<DirectoryEntry> page;
        private String after;
        private boolean listedAll;
        /** Names asked in this directory's latest page; 0 before the first. */
        private int pageSize;
        private Iterator<Item> inner;
        private Item next;

        Level(GranaryPath dir, String dirKey, String namePrefix, String marker, boolean group, Demand demand) {
            this.dir = dir;
            this.dirKey = dirKey;
            this.namePrefix = namePrefix;
            this.marker = marker;
            this.group = group;
            this.demand = demand;
            String markerName = marker == null ? null : firstSegment(marker.substring(dirKey.length()));
            // names at or before this one were passed; the few that may still be due are asked one by one
            this.after = markerName == null || compareCodePoints(markerName, namePrefix) < 0 ? namePrefix : markerName;
            for (String candidate : candidates(markerName)) {
                statEntry(candidate).ifPresent(this::hold);
            }
            this.page = java.util.Collections.emptyIterator();
        }

        /**
         * Names that the listing after {@link #after} misses but that may still be due: the start name
         * itself, and each name that is a prefix of the marker's first segment followed by a character
         * sorting before {@code /} (a directory there has keys after the marker).
         */
        private java.util.List<String> candidates(String markerName) {
            java.util.List<String> names = new java.util.ArrayList<>();
            if (!after.isEmpty()) {
                names.add(after);
            }
            if (markerName != null) {
                for (int i = 1; i < markerName.length(); i++) {
                    if (markerName.charAt(i) < '/' && markerName.startsWith(namePrefix)
                            && i >= namePrefix.length()) {
                        names.add(markerName.substring(0, i));
                    }
                }
            }
            return names;
        }

        private Optional<DirectoryEntry> statEntry(String name) {
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                return Optional.empty();
            }
            GranaryPath path;
            try {
                path = GranaryPath.of(dir.isRoot() ? name : dir + "/" + name);
            } catch (RuntimeException e) {
                return Optional.empty();
            }
            return namespace.stat(path)
                    .map(meta -> new DirectoryEntry(name, meta.type(), meta.size(), meta.modified(), meta.sha256(),
                            meta.etag()));
        }

        private void hold(DirectoryEntry entry) {
            heldBack.put(sortName(entry), entry);
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (inner != null) {
                    if (inner.hasNext()) {
                        next = inner.next();
                        return true;
                    }
                    inner = null;
                }
                DirectoryEntry entry = nextEntry();
                if (entry == null) {
                    return false;
                }
                visit(entry);
            }
            return true;
        }

        @Override
        public Item next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Item item = next;
            next = null;
            return item;
        }

        private void visit(DirectoryEntry entry) {
            String key = dirKey + entry.name();
            if (entry.type() == EntryType.FILE) {
                if (marker == null || compareCodePoints(key, marker) > 0) {
                    next = new Item(key, false, entry.size(), entry.modified(),
                            ObjectHeaders.etag(entry.etag(), entry.sha256()));
                }
                return;
            }
            String keyPrefix = key + "/";
            boolean markerInside = marker != null && marker.startsWith(keyPrefix);
            if (group) {
                if (!markerInside && (marker == null || compareCodePoints(keyPrefix, marker) > 0)) {
                    next = new Item(keyPrefix, true, entry.size(), entry.modified(), "");
                }
                return;
            }
            if (markerInside || marker == null || compareCodePoints(keyPrefix, marker) > 0) {
                GranaryPath sub = GranaryPath.of(dir.isRoot() ? entry.name() : dir + "/" + entry.name());
                inner = new Level(sub, keyPrefix, "", markerInside ? marker : null, false, demand);
            }
        }

        /** The next entry in S3's order that begins with the name prefix, or null when none is left. */
        private DirectoryEntry nextEntry() {
            while (true) {
                DirectoryEntry listed = peekListed();
                Map.Entry<String, DirectoryEntry> held = heldBack.firstEntry();
                if (listed != null && listed.type() == EntryType.DIRECTORY) {
                    page.next();
                    hold(listed);
                    continue;
                }
                if (held != null && (listed == null || compareCodePoints(held.getKey(), listed.name()) < 0)) {
                    heldBack.pollFirstEntry();
                    if (held.getValue().name().startsWith(namePrefix)) {
                        return held.getValue();
                    }
                    continue;
                }
                if (listed == null) {
                    return null;
                }
                page.next();
                if (listed.name().startsWith(namePrefix)) {
                    return listed;
                }
            }
        }

        /** The next listed name, listing further pages as needed; null past the last or past the prefix. */
        private DirectoryEntry peekListed() {
            while (!page.hasNext()) {
                if (listedAll) {
                    return null;
                }
                DirectoryPage listed;
                pageSize = demand.pageAfter(pageSize);
                try {
                    listed = namespace.list(dir, after, pageSize);
                } catch (GranaryException e) {
                    if (e.kind() == ErrorKind.NOT_FOUND || e.kind() == ErrorKind.FAILED_PRECONDITION) {
                        listedAll = true; // no such directory (or a file): it holds no keys
                        return null;
                    }
                    throw e;
                }
                if (listed.entries().isEmpty() || listed.next().isEmpty()) {
                    listedAll = true;
                }
                if (!listed.entries().isEmpty()) {
                    after = listed.entries().get(listed.entries().size() - 1).name();
                }
                page = new PeekingIterator(listed.entries().iterator());
            }
            DirectoryEntry entry = ((PeekingIterator) page).peek();
            if (!entry.name().startsWith(namePrefix) && compareCodePoints(entry.name(), namePrefix) > 0) {
                listedAll = true; // names come in order: none further begins with the prefix
                page = java.util.Collections.emptyIterator();
                return null;
            }
            return entry;
        }
    }

    private static String sortName(DirectoryEntry entry) {
        return entry.type() == EntryType.DIRECTORY ? entry.name() + "/" : entry.name();
    }

    private static String firstSegment(String rest) {
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** An iterator that can show its next element without taking it. */
    private static final class PeekingIterator implements Iterator<DirectoryEntry> {
        private final Iterator<DirectoryEntry> it;
        private DirectoryEntry peeked;

        PeekingIterator(Iterator<DirectoryEntry> it) {
            this.it = it;
        }

        DirectoryEntry peek() {
            if (peeked == null) {
                peeked = it.next();
            }
            return peeked;
        }

        @Override
        public boolean hasNext() {
            return peeked != null || it.hasNext();
        }

        @Override
        public DirectoryEntry next() {
            DirectoryEntry e = peek();
            peeked = null;
            return e;
        }
    }
}
