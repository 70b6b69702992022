package io.granary.launcher.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies one {@link Tree} onto another: {@code cp -r} (everything) and {@code mirror} (only files
 * that differ by size or SHA-256, optionally deleting what the source lacks). The walk runs on the
 * calling thread, one directory listing in memory at a time, creating directories (empty ones
 * included) as it meets them; files go to at most {@code parallel} transfer threads, and the walk
 * waits when they are all busy, so memory does not grow with the tree. A file that fails is
 * reported and counted, and the others go on.
 */
final class TreeCopy {

    /**
     * @param mirror   skip a file whose target has the same size and SHA-256; replace an entry of
     *                 the other kind (a file where a directory is, or the reverse) instead of failing
     * @param delete   delete target entries the source does not have (mirror only)
     * @param dryRun   change nothing; report each copy, directory and deletion it would make
     * @param parallel the most files transferred at once
     * @param excludes entries neither copied nor, with {@code delete}, deleted
     */
    record Options(boolean mirror, boolean delete, boolean dryRun, int parallel, Excludes excludes) {
    }

    /** What the run did (or, in a dry run, would do). Thread-safe. */
    static final class Summary {
        final AtomicLong copied = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong deleted = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        private final List<String[]> failures = new ArrayList<>();

        synchronized void failed(String path, String error) {
            failures.add(new String[] {path, error});
        }

        /** Each failure as {path, error}. */
        synchronized List<String[]> failures() {
            return List.copyOf(failures);
        }
    }

    /** Where the run's per-entry lines go; called from several threads, one call at a time. */
    interface Reporter {
        /** A dry run's planned action: {@code copy}, {@code mkdir} or {@code delete}. */
        void planned(String action, String path, long size);

        void failed(String path, String error);
    }

    private final Tree source;
    private final Tree target;
    private final Options options;
    private final TotalProgress progress;
    private final Reporter reporter;
    private final Summary summary = new Summary();

    TreeCopy(Tree source, Tree target, Options options, TotalProgress progress, Reporter reporter) {
        this.source = source;
        this.target = target;
        this.options = options;
        this.progress = progress;
        this.reporter = reporter;
    }

    /** Copies the source's root directory onto the target's root, which is created when missing. */
    Summary copyTree() throws IOException {
        Tree.Entry root = target.stat("");
        if (root != null && !root.directory()) {
            throw new CliException(ExitCodes.CONFLICT, target.describe("") + " is a file, not a directory");
        }
        if (root == null && !mkdir("")) {
            return summary;
        }
        ExecutorService pool = Executors.newFixedThreadPool(options.parallel(), threads());
        Semaphore slots = new Semaphore(options.parallel());
        try {
            walk("", root != null, pool, slots);
        } finally {
            pool.shutdown();
            awaitQuietly(pool);
        }
        return summary;
    }

    /** Copies one file; any failure is the caller's, with its exit code. */
    Summary copyFile(String sourceRel, Tree.Entry entry, String targetRel) throws IOException {
        transfer(sourceRel, entry, targetRel);
        return summary;
    }

    private void walk(String rel, boolean targetExists, ExecutorService pool, Semaphore slots) {
        List<Tree.Entry> sources;
        Map<String, Tree.Entry> targets = new HashMap<>();
        try {
            sources = source.list(rel);
            if (targetExists) {
                for (Tree.Entry entry : target.list(rel)) {
                    targets.put(entry.name(), entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(source.describe(rel), e);
            return;
        }
        Set<String> names = new HashSet<>();
        for (Tree.Entry entry : sources) {
            names.add(entry.name());
            String child = Tree.child(rel, entry.name());
            if (options.excludes().excludes(child)) {
                continue;
            }
            Tree.Entry existing = targets.get(entry.name());
            if (existing != null && existing.directory() != entry.directory()) {
                if (!options.mirror()) {
                    fail(target.describe(child), new CliException(ExitCodes.CONFLICT,
                            "a " + (existing.directory() ? "directory" : "file") + " is in the way"));
                    progress.fileSkipped(entry.size());
                    continue;
                }
                if (!remove(child, existing)) {
                    continue;
                }
                existing = null;
            }
            if (entry.directory()) {
                if (existing == null && !mkdir(child)) {
                    continue;
                }
                walk(child, existing != null, pool, slots);
            } else {
                submit(child, entry, existing, pool, slots);
            }
        }
        if (options.delete()) {
            for (Tree.Entry extra : targets.values()) {
                String child = Tree.child(rel, extra.name());
                if (!names.contains(extra.name()) && !options.excludes().excludes(child)) {
                    remove(child, extra);
                }
            }
        }
    }

    private void submit(String rel, Tree.Entry entry, Tree.Entry existing, ExecutorService pool, Semaphore slots) {
        slots.acquireUninterruptibly();
        pool.execute(() -> {
            try {
                if (options.mirror() && existing != null && same(rel, entry, existing)) {
                    summary.skipped.incrementAndGet();
                    progress.fileSkipped(entry.size());
                } else {
                    transfer(rel, entry, rel);
                }
            } catch (IOException | RuntimeException e) {
                fail(source.describe(rel), e);
                progress.fileSkipped(entry.size());
            } finally {
                slots.release();
            }
        });
    }

    private boolean same(String rel, Tree.Entry entry, Tree.Entry existing) throws IOException {
        return existing.size() == entry.size() && source.sha256(rel, entry).equals(target.sha256(rel, existing));
    }

    private void transfer(String sourceRel, Tree.Entry entry, String targetRel) throws IOException {
        if (options.dryRun()) {
            reporter.planned("copy", target.describe(targetRel), entry.size());
            progress.fileSkipped(entry.size());
        } else {
            try (InputStream in = counting(source.open(sourceRel))) {
                target.write(targetRel, entry.size(), in);
            }
            progress.fileDone();
        }
        summary.copied.incrementAndGet();
        summary.bytes.addAndGet(entry.size());
    }

    private boolean mkdir(String rel) {
        if (options.dryRun()) {
            reporter.planned("mkdir", target.describe(rel), 0);
            return true;
        }
        try {
            target.mkdirs(rel);
            return true;
        } catch (IOException | RuntimeException e) {
            fail(target.describe(rel), e);
            return false;
        }
    }

    private boolean remove(String rel, Tree.Entry entry) {
        if (options.dryRun()) {
            reporter.planned("delete", target.describe(rel) + (entry.directory() ? "/" : ""), entry.size());
            summary.deleted.incrementAndGet();
            return true;
        }
        try {
            target.delete(rel, entry.directory());
            summary.deleted.incrementAndGet();
            return true;
        } catch (IOException | RuntimeException e) {
            fail(target.describe(rel), e);
            return false;
        }
    }

    private void fail(String path, Exception e) {
        String error = e instanceof IOException io ? CliCommand.describe(io)
                : e instanceof UncheckedIOException unchecked ? CliCommand.describe(unchecked.getCause())
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        summary.failed(path, error);
        reporter.failed(path, error);
    }

    private InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    progress.bytes(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    progress.bytes(n);
                }
                return n;
            }
        };
    }

    private static ThreadFactory threads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "granary-transfer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void awaitQuietly(ExecutorService pool) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
