package io.granary.chunkserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slots on a real file system with real OS locks: the other claimer is another JVM (the OS lock is
 * per process; within one JVM the JDK refuses an overlapping lock, which {@link DataSlot} treats as held too).
 */
class DataSlotTest {
    private static final long DEADLINE_SECONDS = 30;

    @TempDir
    Path root;
    Process holder;

    @AfterEach
    void stopHolder() throws InterruptedException {
        if (holder != null) {
            holder.destroyForcibly().waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSlotHeldByAnotherProcessIsSkippedSoTwoClaimersGetDifferentSlots() throws Exception {
        assertThat(holdInAnotherProcess()).isEqualTo("slot-0");

        try (DataSlot mine = DataSlot.claim(root)) {
            assertThat(mine.dir()).isEqualTo(root.resolve("slot-1"));
        }
    }

    @Test
    void twoClaimersInOneJvmGetDifferentSlots() throws Exception {
        try (DataSlot first = DataSlot.claim(root); DataSlot second = DataSlot.claim(root)) {
            assertThat(first.dir()).isEqualTo(root.resolve("slot-0"));
            assertThat(second.dir()).isEqualTo(root.resolve("slot-1"));
        }
    }

    @Test
    void aReleasedSlotIsReclaimedWithTheIdentityKeptInIt() throws Exception {
        String id;
        try (DataSlot first = DataSlot.claim(root)) {
            id = NodeIdentity.resolve(first.dir(), null);
        }

        try (DataSlot again = DataSlot.claim(root)) {
            assertThat(again.dir()).isEqualTo(root.resolve("slot-0"));
            assertThat(NodeIdentity.resolve(again.dir(), null)).isEqualTo(id);
        }
    }

    @Test
    void theSlotOfAKilledProcessIsFreeAgain() throws Exception {
        assertThat(holdInAnotherProcess()).isEqualTo("slot-0");
        assertThat(holder.destroyForcibly().waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();

        try (DataSlot mine = DataSlot.claim(root)) {
            assertThat(mine.dir()).isEqualTo(root.resolve("slot-0"));
        }
    }

    /** Starts a JVM that claims a slot of {@link #root} and holds it until killed; returns the slot's name. */
    private String holdInAnotherProcess() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DataSlotHolder.class.getName(), root.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }
}
