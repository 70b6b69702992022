package io.granary.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * 4 KiB file uploads, downloads, {@code stat}s and listings of their directory (one page of up to
 * {@value Target#LIST_PAGE} entries) per second at each concurrency, through each
 * target. Uploads are judged against three fdatasynced 4 KiB writes per operation (what one durable
 * small file at replication 3 costs this disk, one at a time); downloads and stats against a
 * loopback HTTP GET of 4 KiB at the same concurrency. Every file made is deleted afterwards.
 */
final class SmallFileWorkload {
    /** Most distinct files that the download and stat figures cycle through. */
    static final int MAX_READ_SET = 64;
    static final String SYNCED_NAME = "4KiB write+fdatasync x3";
    static final String UPLOADS = "4KiB uploads";
    private static final int SIZE = BenchConfig.SMALL_FILE_BYTES;
    private static final int CLEANUP_CONCURRENCY = 16;

    private final Repeater repeater;
    private final List<Target> targets;
    private final DiskBaselines disk;
    private final Loopback loopback;
    private final int ops;
    private final int readSet;

    SmallFileWorkload(Repeater repeater, List<Target> targets, DiskBaselines disk, Loopback loopback, int ops) {
        this.repeater = repeater;
        this.targets = targets;
        this.disk = disk;
        this.loopback = loopback;
        this.ops = ops;
        this.readSet = Math.min(MAX_READ_SET, ops);
    }

    void run(List<Comparison> rows, List<Figure> baselines) throws Exception {
        Figure synced = repeater.measure(SYNCED_NAME, Figure.OPS_PER_S, r -> disk.smallSyncedCopiesPerSecond(ops, SIZE));
        baselines.add(synced);
        List<Figure> gets = new ArrayList<>();
        for (int c : BenchConfig.CONCURRENCIES) {
            gets.add(repeater.measure(loopbackName(c), Figure.OPS_PER_S, r -> loopback.getsPerSecond(SIZE, c, ops)));
        }
        baselines.addAll(gets);
        for (Target target : targets) {
            measureTarget(target, synced, gets, rows);
        }
    }

    static String loopbackName(int concurrency) {
        return "loopback HTTP GET 4KiB c" + concurrency;
    }

    static String name(String what, int concurrency, String label) {
        return what + " c" + concurrency + " (" + label + ")";
    }

    private void measureTarget(Target target, Figure synced, List<Figure> gets, List<Comparison> rows)
            throws Exception {
        List<String> made = Collections.synchronizedList(new ArrayList<>());
        String directory = Target.ROOT + "/small/" + target.label();
        String dir = directory + "/";
        try {
            Load.opsPerSecond(CLEANUP_CONCURRENCY, readSet, i -> upload(target, dir + "read-" + i, made::add));
            List<Integer> levels = BenchConfig.CONCURRENCIES;
            for (int c : levels) {
                rows.add(new Comparison(repeater.measure(name(UPLOADS, c, target.label()), Figure.OPS_PER_S,
                        r -> uploadsPerSecond(target, dir, c, ops, r, made::add)), synced));
            }
            for (int k = 0; k < levels.size(); k++) {
                int c = levels.get(k);
                rows.add(new Comparison(repeater.measure(name("4KiB downloads", c, target.label()), Figure.OPS_PER_S,
                        r -> Load.opsPerSecond(c, ops, i -> ThroughputWorkload.expectSize(
                                target.download(dir + "read-" + i % readSet), SIZE))), gets.get(k)));
            }
            for (int k = 0; k < levels.size(); k++) {
                int c = levels.get(k);
                rows.add(new Comparison(repeater.measure(name("stat", c, target.label()), Figure.OPS_PER_S,
                        r -> Load.opsPerSecond(c, ops, i -> target.stat(dir + "read-" + i % readSet))), gets.get(k)));
            }
            for (int k = 0; k < levels.size(); k++) {
                int c = levels.get(k);
                rows.add(new Comparison(repeater.measure(name("list", c, target.label()), Figure.OPS_PER_S,
                        r -> Load.opsPerSecond(c, ops, i -> target.list(directory))), gets.get(k)));
            }
        } finally {
            List<String> paths = List.copyOf(made);
            Load.opsPerSecond(CLEANUP_CONCURRENCY, paths.size(),
                    i -> ThroughputWorkload.deleteQuietly(target, paths.get(i)));
        }
    }

    /**
     * One repeat of the 4 KiB upload figure: {@code ops} new files uploaded into {@code dir},
     * {@code concurrency} at a time; returns uploads per second and hands each path made to {@code made}.
     */
    static double uploadsPerSecond(Target target, String dir, int concurrency, int ops, int repeat,
                                   Consumer<String> made) throws Exception {
        return Load.opsPerSecond(concurrency, ops, i -> upload(target,
                dir + "up-c" + concurrency + "-" + Repeater.tag(repeat) + "-" + i, made));
    }

    private static void upload(Target target, String path, Consumer<String> made) throws Exception {
        target.upload(path, SIZE);
        made.accept(path);
    }
}
