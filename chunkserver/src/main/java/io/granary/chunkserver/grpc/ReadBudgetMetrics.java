package io.granary.chunkserver.grpc;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Publishes a {@link ReadBudget}: the bytes of read messages handed to gRPC unflushed, and the limit. */
public final class ReadBudgetMetrics {
    private ReadBudgetMetrics() {
    }

    public static void register(ReadBudget budget, MeterRegistry registry) {
        Gauge.builder("granary.chunkserver.read.buffered", budget, ReadBudget::usedBytes).baseUnit("bytes")
                .description("Bytes of read messages handed to gRPC and not yet flushed to their readers")
                .register(registry);
        Gauge.builder("granary.chunkserver.read.buffer.limit", budget, ReadBudget::limitBytes).baseUnit("bytes")
                .description("The most bytes of read messages all reads may hand to gRPC at once").register(registry);
    }
}
