package io.granary.launcher.cli;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/**
 * One side of a recursive copy or mirror: a directory tree, local or in Granary, addressed by paths
 * relative to its root ({@code ""} is the root, {@code "a/b.txt"} below it). Implementations are
 * safe to call from several transfer threads at once.
 */
interface Tree {

    /**
     * An entry of a tree.
     *
     * @param sha256 a file's lower-case hex SHA-256 when known without reading it, else null
     */
    record Entry(String name, boolean directory, long size, Instant modified, String sha256) {
    }

    /** What the user called this tree, for messages. */
    String describe(String rel);

    /** The entry at {@code rel}, or null when there is nothing there. */
    Entry stat(String rel) throws IOException;

    /** The entries of directory {@code rel}; held in memory one directory at a time. */
    List<Entry> list(String rel) throws IOException;

    /** The file's SHA-256 in lower-case hex; a local file is read (streamed) to compute it. */
    String sha256(String rel, Entry entry) throws IOException;

    /** Opens the file for reading; the caller closes the stream. */
    InputStream open(String rel) throws IOException;

    /** Writes a file of {@code size} bytes from {@code in}, replacing what is there, with missing parents. */
    void write(String rel, long size, InputStream in) throws IOException;

    /** Creates the directory and its parents; nothing when it exists. */
    void mkdirs(String rel) throws IOException;

    /** Deletes the file, or the directory with everything below it. */
    void delete(String rel, boolean directory) throws IOException;

    /** Joins a relative directory and a name. */
    static String child(String rel, String name) {
        return rel.isEmpty() ? name : rel + "/" + name;
    }
}
