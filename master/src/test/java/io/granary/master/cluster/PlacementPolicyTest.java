package io.granary.master.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.ByteSize;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.master.model.Decommission;
import io.granary.master.model.DecommissionState;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementPolicyTest {
    private static final long CHUNK = 64 * ByteSize.MIB;
    private final Decommissions decommissions = new Decommissions();
    private final PlacementPolicy policy = new PlacementPolicy(new Random(42), decommissions);

    private static ChunkServerInfo server(String id, long freeGiB, boolean alive) {
        return new ChunkServerInfo(id, id + ":7000", 100 * ByteSize.GIB, (100 - freeGiB) * ByteSize.GIB, 0, 0, alive, 0);
    }

    @Test
    void picksDistinctServersMostFreeFirst() {
        List<ChunkServerInfo> servers = List.of(server("a", 10, true), server("b", 50, true),
                server("c", 30, true), server("d", 20, true));

        List<ChunkServerInfo> chain = policy.choose(servers, 3, CHUNK);

        assertThat(chain).extracting(ChunkServerInfo::id).containsExactly("b", "c", "d");
    }

    @Test
    void countsSpacePromisedSinceTheLastHeartbeat() {
        ChunkServerInfo busy = new ChunkServerInfo("busy", "busy:7000", 100 * ByteSize.GIB, 0, 0, 0, true, 90 * ByteSize.GIB);
        List<ChunkServerInfo> servers = List.of(busy, server("idle", 20, true));

        assertThat(policy.choose(servers, 1, CHUNK)).extracting(ChunkServerInfo::id).containsExactly("idle");
    }

    @Test
    void skipsDeadAndFullServers() {
        ChunkServerInfo full = new ChunkServerInfo("full", "full:7000", ByteSize.GIB, ByteSize.GIB - CHUNK + 1, 0, 0, true, 0);
        List<ChunkServerInfo> servers = List.of(server("dead", 90, false), full, server("ok1", 5, true),
                server("ok2", 1, true));

        assertThat(policy.choose(servers, 2, CHUNK)).extracting(ChunkServerInfo::id).containsExactly("ok1", "ok2");
    }

    @Test
    void neverPicksAChunkServerTheWriterAsksToAvoid() {
        List<ChunkServerInfo> servers = List.of(server("a", 10, true), server("b", 50, true),
                server("c", 30, true), server("d", 20, true));

        List<ChunkServerInfo> chain = policy.choose(servers, 3, CHUNK, Set.of("b"));

        assertThat(chain).extracting(ChunkServerInfo::id).containsExactly("c", "d", "a");
    }

    @Test
    void aChainAvoidingFailedServersIsShorterWhenTooFewOthersRemain() {
        List<ChunkServerInfo> servers = List.of(server("a", 10, true), server("b", 50, true), server("c", 30, true));

        List<ChunkServerInfo> chain = policy.choose(servers, 3, CHUNK, Set.of("b"));

        assertThat(chain).extracting(ChunkServerInfo::id).containsExactly("c", "a");
    }

    @Test
    void avoidingEveryServerWithRoomIsUnavailableNamingThem() {
        List<ChunkServerInfo> servers = List.of(server("a", 10, true), server("b", 50, true));

        assertThatThrownBy(() -> policy.choose(servers, 2, CHUNK, Set.of("b", "a")))
                .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessageContaining("already failed this upload (a, b)");
    }

    @Test
    void tooFewLiveServersIsUnavailableSayingHowMany() {
        List<ChunkServerInfo> servers = List.of(server("a", 10, true), server("b", 10, true), server("c", 10, false));

        assertThatThrownBy(() -> policy.choose(servers, 3, CHUNK))
                .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessage("replication 3 needs 3 live chunkservers; 2 are alive");
    }

    @Test
    void noServerWithSpaceIsResourceExhausted() {
        ChunkServerInfo full = new ChunkServerInfo("full", "full:7000", ByteSize.GIB, ByteSize.GIB, 0, 0, true, 0);

        assertThatThrownBy(() -> policy.choose(List.of(full), 1, CHUNK))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.RESOURCE_EXHAUSTED))
                .hasMessage("no chunkserver has 64MiB free for a new chunk");
    }

    @Test
    void neverPicksADrainingOrDecommissionedChunkServerHoweverFreeItIs() {
        List<ChunkServerInfo> servers = List.of(server("a", 10, true), server("b", 90, true),
                server("c", 80, true), server("d", 20, true));
        decommissions.put("b", new Decommission(DecommissionState.DRAINING, 1));
        decommissions.put("c", new Decommission(DecommissionState.DECOMMISSIONED, 1));

        for (int i = 0; i < 20; i++) {
            assertThat(policy.choose(servers, 2, CHUNK)).extracting(ChunkServerInfo::id).containsExactly("d", "a");
        }
    }

    @Test
    void tooFewChunkServersInServiceIsUnavailableNamingThoseLeaving() {
        List<ChunkServerInfo> servers = List.of(server("a", 10, true), server("b", 10, true), server("c", 10, true));
        decommissions.put("c", new Decommission(DecommissionState.DRAINING, 1));

        assertThatThrownBy(() -> policy.choose(servers, 3, CHUNK))
                .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessage("replication 3 needs 3 live chunkservers; 2 are alive (and 1 draining or decommissioned)");
    }

    @Test
    void breaksTiesAtRandomSoEqualServersShareTheLoad() {
        List<ChunkServerInfo> servers = List.of(server("a", 10, true), server("b", 10, true), server("c", 10, true));
        Set<String> heads = new HashSet<>();

        for (int i = 0; i < 50; i++) {
            heads.add(policy.choose(servers, 1, CHUNK).get(0).id());
        }

        assertThat(heads).containsExactlyInAnyOrder("a", "b", "c");
    }
}
