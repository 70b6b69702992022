package io.granary.bench;

import io.granary.common.ByteSize;
import java.util.ArrayList;
import java.util.List;

/**
 * The upload figures only the S3 port has, at the largest size (where the targets are judged),
 * beside the same three-copy fdatasync baseline as every upload:
 * <ul>
 *   <li>a PutObject with the SDK's checksums only where S3 requires them (no CRC32 trailer), to show
 *       what the default CRC32 costs;</li>
 *   <li>a multipart upload of {@value #PARTS} parts sent at once on {@value #PARTS} threads, the way
 *       S3 tools upload large objects; it needs every part but the last to be at least S3's
 *       {@link #MIN_PART_BYTES}, so it is skipped, with a note, below {@value #PARTS} times that.</li>
 * </ul>
 * Each repeat writes its own object; they are deleted at the end.
 */
final class S3Workload {
    static final int PARTS = 4;
    /** S3's least size of a part that is not the last. */
    static final long MIN_PART_BYTES = 5 * ByteSize.MIB;

    private final Repeater repeater;
    private final S3Target s3;
    private final S3Access access;
    private final CpuMeter cpu;

    /** @param s3 the S3 target with the SDK's default checksums, whose key {@code access} is */
    S3Workload(Repeater repeater, S3Target s3, S3Access access, CpuMeter cpu) {
        this.repeater = repeater;
        this.s3 = s3;
        this.access = access;
        this.cpu = cpu;
    }

    /**
     * Measures the figures at {@code size}; adds them to {@code rows} beside {@code synced}, the
     * fdatasync baseline of that size, and says in {@code notes} what it skipped.
     */
    void run(long size, Figure synced, List<Comparison> rows, List<String> notes) throws Exception {
        try (S3Target whenRequired = new S3Target(access, S3Target.Checksums.WHEN_REQUIRED)) {
            rows.add(new Comparison(measure(ThroughputWorkload.uploadName(size, whenRequired.label()),
                    "when-required", size, whenRequired, path -> whenRequired.upload(path, size)), synced));
        }
        if (size < PARTS * MIN_PART_BYTES) {
            notes.add("S3 multipart figure not measured: " + PARTS + " parts need at least "
                    + ByteSize.format(PARTS * MIN_PART_BYTES) + " (S3's least part is " + ByteSize.format(MIN_PART_BYTES)
                    + "), the largest size is " + ByteSize.format(size));
            return;
        }
        rows.add(new Comparison(measure(multipartName(size, s3.label()), "multipart", size, s3,
                path -> s3.multipartUpload(path, size, PARTS)), synced));
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
