package io.granary.bench;

import io.granary.common.ByteSize;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upload and download MiB/s of whole files of each configured size, through each target, beside
 * the baselines of the same size: three fdatasynced copies for uploads (the floor of a durable
 * write at replication 3 on one disk), three page-cache copies for context, and for downloads a
 * loopback HTTP GET, or for the client library (a Java program reading from other JVMs) a raw
 * loopback TCP stream between two JVMs. Each repeat uploads its own file and downloads it back; then they are deleted.
 * At the largest size, the CPU time both sides spend per GiB is tracked too ({@link CpuMeter}).
 */
final class ThroughputWorkload {
    private static final Logger log = LoggerFactory.getLogger(ThroughputWorkload.class);
    private final Repeater repeater;
    private final List<Target> targets;
    private final DiskBaselines disk;
    private final Loopback loopback;
    private final CpuMeter cpu;

    ThroughputWorkload(Repeater repeater, List<Target> targets, DiskBaselines disk, Loopback loopback,
                       CpuMeter cpu) {
        this.repeater = repeater;
        this.targets = targets;
        this.disk = disk;
        this.loopback = loopback;
        this.cpu = cpu;
    }

    /** Measures every size; adds rows to {@code rows} and baselines to {@code baselines}. */
    void run(List<Long> sizes, List<Comparison> rows, List<Figure> baselines) throws Exception {
        for (long size : sizes) {
            String s = ByteSize.format(size);
            Figure synced = repeater.measure(syncedName(size), Figure.MIB_PER_S, r -> disk.syncedCopiesMiBps(size));
            Figure cached = repeater.measure("3 copies, page cache " + s, Figure.MIB_PER_S,
                    r -> disk.pageCacheCopiesMiBps(size));
            Figure get = repeater.measure(loopbackName(size), Figure.MIB_PER_S, r -> loopback.getMiBps(size));
            Figure tcp = repeater.measure(tcpName(size), Figure.MIB_PER_S, r -> loopback.tcpMiBps(size));
            baselines.addAll(List.of(synced, cached, get, tcp));
            boolean largest = size == sizes.get(sizes.size() - 1);
            for (Target target : targets) {
                measureTarget(target, size, largest, synced, target.label().equals(ClientTarget.LABEL) ? tcp : get,
                        rows);
            }
        }
    }

    static String uploadName(long size, String label) {
        return "upload " + ByteSize.format(size) + " (" + label + ")";
    }

    static String downloadName(long size, String label) {
        return "download " + ByteSize.format(size) + " (" + label + ")";
    }

    static String syncedName(long size) {
        return "3 copies + fdatasync " + ByteSize.format(size);
    }

    static String loopbackName(long size) {
        return "loopback HTTP GET " + ByteSize.format(size);
    }

    static String tcpName(long size) {
        return "loopback TCP JVM to JVM " + ByteSize.format(size);
    }

    private void measureTarget(Target target, long size, boolean trackCpu, Figure synced, Figure read,
                               List<Comparison> rows) throws Exception {
        List<String> paths = new ArrayList<>();
        try {
            String upName = uploadName(size, target.label());
            Figure up = repeater.measure(upName, Figure.MIB_PER_S, r -> {
                String path = path(target, size, r);
                paths.add(path);
                return timed(upName, r, size, trackCpu, () -> target.upload(path, size));
            });
            String downName = downloadName(size, target.label());
            Figure down = repeater.measure(downName, Figure.MIB_PER_S, r -> timed(downName, r, size, trackCpu,
                    () -> expectSize(target.download(path(target, size, r)), size)));
            rows.add(new Comparison(up, synced));
            rows.add(new Comparison(down, read));
        } finally {
            for (String path : paths) {
                deleteQuietly(target, path);
            }
        }
    }

    /** MiB/s of one transfer, its CPU time tracked under {@code name} when asked. */
    private double timed(String name, int repeat, long size, boolean trackCpu, Load.Transfer transfer)
            throws Exception {
        return trackCpu ? cpu.track(name, repeat, size, () -> Load.mibPerSecond(size, transfer))
                : Load.mibPerSecond(size, transfer);
    }

    private static String path(Target target, long size, int repeat) {
        return Target.ROOT + "/" + ByteSize.format(size) + "/" + target.label() + "-" + Repeater.tag(repeat);
    }

    /** Deletes a file the benchmark made; a failure here must not hide the one that ended the figure. */
    static void deleteQuietly(Target target, String path) {
        try {
            target.delete(path);
        } catch (Exception e) {
            log.warn("{}: could not delete {} through {}: {}", BenchRunner.NODE_ID, path, target.label(),
                    e.getMessage());
        }
    }

    static void expectSize(long got, long size) {
        if (got != size) {
            throw new IllegalStateException("downloaded " + got + " bytes instead of " + size);
        }
    }
}
