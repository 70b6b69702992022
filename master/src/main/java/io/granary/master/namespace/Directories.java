package io.granary.master.namespace;

import io.granary.common.Actor;
import io.granary.common.ChunkHandle;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.meta.DirectoryPage;
import io.granary.common.meta.FileMeta;
import io.granary.master.cluster.ClusterState;
import io.granary.master.model.MetadataStore;
import io.granary.master.model.MetadataStore.MakeDirectoryOutcome;
import io.granary.master.model.MetadataStore.Reclaimed;
import io.granary.master.model.MetadataStore.RenameOutcome;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory operations of the namespace: mkdir -p, paginated listing, delete (recursive or not)
 * and rename of files and whole directories. Every namespace change is one atomic store step; a
 * recursive delete unlinks the directory atomically and then reclaims what was below it in bounded
 * batches. Every method blocks on the store, is thread-safe, and throws {@link GranaryException}.
 */
public final class Directories {
    private static final Logger log = LoggerFactory.getLogger(Directories.class);
    /** Entries per listing page when the caller does not say. */
    public static final int DEFAULT_PAGE = 100;
    /** Most entries per listing page. */
    public static final int MAX_PAGE = 1000;
    /**
     * Entries plus chunks freed per reclaim step. Each costs a few Redis commands, so a step is a few
     * thousand commands: short enough that other clients barely notice, large enough to be efficient.
     */
    static final int RECLAIM_BUDGET = 1000;

    private final String masterId;
    private final MetadataStore store;
    private final ClusterState cluster;
    private final Clock clock;

    public Directories(String masterId, MetadataStore store, ClusterState cluster, Clock clock) {
        this.masterId = masterId;
        this.store = store;
        this.cluster = cluster;
        this.clock = clock;
    }

    /** Creates a directory and its missing parents. Idempotent; says whether it created it. */
    public MakeDirectoryOutcome makeDirectory(String rawPath) {
        return makeDirectory(rawPath, Actor.SYSTEM);
    }

    /** Like {@link #makeDirectory(String)}, recording {@code actor} as the creator of what it creates. */
    public MakeDirectoryOutcome makeDirectory(String rawPath, Actor actor) {
        GranaryPath path = GranaryPath.of(rawPath);
        MakeDirectoryOutcome outcome = store.makeDirectory(path, actor, clock.millis());
        if (outcome.created()) {
            log.info("{}: created directory {}", masterId, path);
        }
        return outcome;
    }

    /** One page of a directory; {@code limit} 0 means {@link #DEFAULT_PAGE}. */
    public DirectoryPage list(String rawPath, String after, int limit) {
        GranaryPath path = GranaryPath.of(rawPath);
        int size = limit == 0 ? DEFAULT_PAGE : limit;
        if (size < 0 || size > MAX_PAGE) {
            throw GranaryException.invalid("limit must be between 1 and " + MAX_PAGE + ", not "
                    + Integer.toUnsignedString(limit));
        }
        return store.list(path, after == null ? "" : after, size);
    }

    /**
     * Deletes a directory; with {@code recursive}, everything below it too. The directory disappears
     * from the namespace in one atomic step; its files' chunks normally reach the trash before this
     * returns (if the store fails meanwhile, the delete still stands and {@link ReclaimTask} finishes).
     *
     * @return the number of files deleted with it
     */
    public long deleteDirectory(String rawPath, boolean recursive) {
        return deleteDirectory(rawPath, recursive, Actor.SYSTEM);
    }

    /**
     * Like {@link #deleteDirectory(String, boolean)}, for {@code actor}: a non-admin may delete only a
     * directory it created that holds no file (PERMISSION_DENIED otherwise, nothing deleted).
     */
    public long deleteDirectory(String rawPath, boolean recursive, Actor actor) {
        GranaryPath path = GranaryPath.of(rawPath);
        long files = store.deleteDirectory(path, recursive, actor, clock.millis());
        log.info("{}: deleted directory {} ({} file(s) below it)", masterId, path, files);
        try {
            reclaim();
        } catch (GranaryException e) {
            // the namespace change is committed; only the clean-up is left, and it is idempotent
            log.warn("{}: reclaiming {} was cut short, the reclaim task will finish it: {}", masterId, path,
                    e.getMessage());
        }
        return files;
    }

    /**
     * Frees, in bounded steps, everything below directories deleted recursively, including work left
     * by a master that stopped half-way. Returns how many chunks went to the trash. Safe to run from
     * several threads at once: each step is atomic and takes what is left.
     */
    public long reclaim() {
        long total = 0;
        Reclaimed step;
        do {
            step = store.reclaim(clock.millis(), RECLAIM_BUDGET);
            cluster.trashed(step.trashed());
            total += step.trashed().size();
        } while (step.directoriesQueued() > 0);
        if (total > 0) {
            log.info("{}: reclaimed deleted directories: {} chunk(s) to the trash", masterId, total);
        }
        return total;
    }

    /** Moves a file or a whole directory in one atomic step, O(path depth). Returns it at its new path. */
    public FileMeta rename(String rawFrom, String rawTo, boolean overwrite) {
        return rename(rawFrom, rawTo, overwrite, Actor.SYSTEM);
    }

    /**
     * Like {@link #rename(String, String, boolean)}, for {@code actor}: a non-admin must own the file it
     * moves and any file it replaces; a directory it moves must be its own and hold no file.
     */
    public FileMeta rename(String rawFrom, String rawTo, boolean overwrite, Actor actor) {
        GranaryPath from = GranaryPath.of(rawFrom);
        GranaryPath to = GranaryPath.of(rawTo);
        RenameOutcome outcome = store.rename(from, to, overwrite, actor, clock.millis());
        List<ChunkHandle> trashed = outcome.trashed();
        cluster.trashed(trashed);
        log.info("{}: renamed {} to {}{}", masterId, from, to,
                trashed.isEmpty() ? "" : " (replaced file's " + trashed.size() + " chunk(s) to the trash)");
        FileMeta moved = outcome.moved();
        if (!moved.isFile()) {
            return moved;
        }
        return moved.withChunks(moved.chunks().stream()
                .map(c -> c.withReplicas(cluster.liveReplicas(c.handle()))).toList());
    }
}
