package io.granary.chunkserver.replication;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Publishes a {@link WriteAdmission}'s state: what is in use, the most ever used, the limits, the refusals. */
public final class WriteAdmissionMetrics {
    private WriteAdmissionMetrics() {
    }

    public static void register(WriteAdmission admission, MeterRegistry registry) {
        Gauge.builder("granary.chunkserver.writes.active", admission, WriteAdmission::activeWrites)
                .description("Chunk writes in progress").register(registry);
        Gauge.builder("granary.chunkserver.writes.peak", admission, WriteAdmission::peakWrites)
                .description("The most chunk writes in progress at once since start").register(registry);
        Gauge.builder("granary.chunkserver.writes.limit", admission, WriteAdmission::maxWrites)
                .description("The most chunk writes taken at once").register(registry);
        Gauge.builder("granary.chunkserver.write.buffered", admission, WriteAdmission::bufferedBytes)
                .baseUnit("bytes").description("Bytes of data pieces reserved by the writes in progress")
                .register(registry);
        Gauge.builder("granary.chunkserver.write.buffered.peak", admission, WriteAdmission::peakBufferedBytes)
                .baseUnit("bytes").description("The most bytes reserved by writes at once since start")
                .register(registry);
        Gauge.builder("granary.chunkserver.write.buffer.limit", admission, WriteAdmission::maxBufferedBytes)
                .baseUnit("bytes").description("The most bytes writes may reserve at once").register(registry);
        FunctionCounter.builder("granary.chunkserver.writes.refused", admission, WriteAdmission::refused)
                .description("Chunk writes and pieces refused because the limits were reached").register(registry);
    }
}
