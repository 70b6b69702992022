package io.granary.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Peak resident memory of a process and of the processes it started (for {@code granary local}:
 * the JVM, and the embedded {@code redis-server} it runs), as the kernel counts it: {@code VmHWM} in
 * {@code /proc/<pid>/status}, the high-water mark of the resident set since the process started.
 * Linux only.
 *
 * @param pid                the process
 * @param peakKib            its own peak RSS, KiB
 * @param descendantsPeakKib the sum of its descendants' peaks, KiB (0 when it has none)
 */
record ProcessMemory(long pid, long peakKib, long descendantsPeakKib) {

    /** Reads the peaks now; they only grow, so read them just before the process stops. */
    static OptionalLong peakKibOf(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone: no figure
        }
        return OptionalLong.empty();
    }

    /**
     * The peaks of {@code pid} and its descendants.
     *
     * @throws IllegalStateException when {@code /proc/<pid>/status} cannot be read
     */
    static ProcessMemory read(long pid) {
        long own = peakKibOf(pid).orElseThrow(() -> new IllegalStateException(
                "cannot read VmHWM from /proc/" + pid + "/status: is the process alive, and is this Linux?"));
        long children = ProcessHandle.of(pid).stream()
                .flatMap(ProcessHandle::descendants)
                .mapToLong(child -> peakKibOf(child.pid()).orElse(0))
                .sum();
        return new ProcessMemory(pid, own, children);
    }

    /** The process plus its descendants: an upper bound of their peak together (each peaks at its own time). */
    long totalPeakKib() {
        return peakKib + descendantsPeakKib;
    }
}
