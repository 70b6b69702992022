package io.granary.bench;

import io.granary.common.ByteSize;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload figures only the S3 port has, at the largest size (where the targets are judged),
 * beside the same three-copy fdatasync baseline as every upload:
 * <ul>
 *   <li>a PutObject with the SDK's checksums only where S3 requires them (no CRC32 trailer), to show
 *       what the default CRC32 costs;</li>
 *   <li>a multipart upload of {@value #PARTS} parts sent at once on {@value #PARTS} threads, the way
 *       S3 tools upload large objects; it needs every part but the last to be at least S3's
 *       {@link #MIN_PART_BYTES}, so it is skipped, with a note, below {@value #PARTS} times that. The
 *       only figure with large uploads at once, it is the one a cluster short of memory for them fails:
 *       such a failure is reported (a note, and its target judged missed) instead of ending the run.</li>
 * </ul>
 * Each repeat writes its own object; they are deleted at the end.
 */
final class S3Workload {
    private static final Logger log = LoggerFactory.getLogger(S3Workload.class);
    static final int PARTS = 4;
    /** S3's least size of a part that is not the last. */
    static final long MIN_PART_BYTES = 5 * ByteSize.MIB;

    private final Repeater repeater;
    private final S3Target s3;
    private final CpuMeter cpu;

    /** @param s3 the S3 target with the SDK's default checksums */
    S3Workload(Repeater repeater, S3Target s3, CpuMeter cpu) {
        this.repeater = repeater;
        this.s3 = s3;
        this.cpu = cpu;
    }

    /**
     * Measures the figures at {@code size}; adds them to {@code rows} beside {@code synced}, the
     * fdatasync baseline of that size, says in {@code notes} what it skipped or what failed, and adds
     * the name of a figure that failed to {@code failed}.
     */
    void run(long size, Figure synced, List<Comparison> rows, List<String> notes, List<String> failed)
            throws Exception {
        try (S3Target whenRequired = s3.withChecksums(S3Target.Checksums.WHEN_REQUIRED)) {
            String name = ThroughputWorkload.uploadName(size, whenRequired.label());
            long retriesBefore = s3.retries();
            rows.add(new Comparison(measure(name, "when-required", size, whenRequired,
                    path -> whenRequired.upload(path, size)), synced));
            noteRetries(name, retriesBefore, notes);
        }
        if (size < PARTS * MIN_PART_BYTES) {
            notes.add("S3 multipart figure not measured: " + PARTS + " parts need at least "
                    + ByteSize.format(PARTS * MIN_PART_BYTES) + " (S3's least part is "
                    + ByteSize.format(MIN_PART_BYTES) + "), the largest size is " + ByteSize.format(size));
            return;
        }
        String multipart = multipartName(size, s3.label());
        long retriesBefore = s3.retries();
        try {
            rows.add(new Comparison(measure(multipart, "multipart", size, s3,
                    path -> s3.multipartUpload(path, size, PARTS)), synced));
            noteRetries(multipart, retriesBefore, notes);
        } catch (IOException e) {
            log.warn("{}: {} failed: {}", BenchRunner.NODE_ID, multipart, e.getMessage());
            notes.add(multipart + " failed, so it has no figure: " + e.getMessage());
            failed.add(multipart);
            cpu.discard(multipart);
        }
    }

    /** Says how many requests the SDK sent again during a figure, if any: the figure includes them. */
    private void noteRetries(String figure, long retriesBefore, List<String> notes) {
        long retries = s3.retries() - retriesBefore;
        if (retries > 0) {
            notes.add(figure + ": the AWS SDK sent " + retries + " requests again, the warm-up's included");
        }
    }

    static String multipartName(long size, String label) {
        return "multipart upload " + ByteSize.format(size) + ", " + PARTS + " parts at once (" + label + ")";
    }

    /** One upload figure; repeat r writes {@code /bench/SIZE/STEM-r}. */
    private Figure measure(String name, String stem, long size, Target target, Upload upload) throws Exception {
        List<String> paths = new ArrayList<>();
        try {
            return repeater.measure(name, Figure.MIB_PER_S, r -> {
                String path = Target.ROOT + "/" + ByteSize.format(size) + "/" + stem + "-" + Repeater.tag(r);
                paths.add(path);
                return cpu.track(name, r, size, () -> Load.mibPerSecond(size, () -> upload.to(path)));
            });
        } finally {
            paths.forEach(path -> ThroughputWorkload.deleteQuietly(target, path));
        }
    }

    @FunctionalInterface
    private interface Upload {
        void to(String path) throws Exception;
    }
}
