package io.granary.cluster;

import io.granary.chunkserver.store.ChunkLayout;
import io.granary.common.ChunkHandle;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.Replica;
import io.granary.launcher.local.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What chunkservers hold on disk, read from their data directories (running or not), never from
 * what the system says about itself.
 */
final class DiskReplicas {
    private DiskReplicas() {
    }

    /** The data directory of chunkserver {@code index} (0-based), whether it runs or not. */
    static Path dataDir(MiniGranary cluster, int index) {
        return cluster.chunkServerDataDir(index);
    }

    /** The id of chunkserver {@code index}, as {@link io.granary.launcher.local.LocalCluster} names them. */
    static String id(int index) {
        return "chunkserver-" + (index + 1);
    }

    /** The replica file of a chunk on chunkserver {@code index}; it exists iff the replica does. */
    static Path chunkFile(MiniGranary cluster, int index, ChunkHandle handle) {
        return ChunkLayout.chunkFile(dataDir(cluster, index), handle);
    }

    /** Handles (16 hex digits) of every chunk file on chunkserver {@code index}. */
    static Set<String> handlesOn(MiniGranary cluster, int index) {
        return handlesIn(dataDir(cluster, index));
    }

    /** Handles (16 hex digits) of every complete chunk file under a chunkserver's data directory. */
    static Set<String> handlesIn(Path dataDir) {
        Path chunks = dataDir.resolve("chunks");
        if (!Files.isDirectory(chunks)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(chunks)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(ChunkLayout.CHUNK_SUFFIX))
                    .map(name -> name.substring(0, name.length() - ChunkLayout.CHUNK_SUFFIX.length()))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For every chunk file on any chunkserver: its handle and the indexes of the chunkservers holding it. */
    static Map<String, List<Integer>> everywhere(MiniGranary cluster) {
        Map<String, List<Integer>> out = new HashMap<>();
        for (int i = 0; i < cluster.settings().chunkservers(); i++) {
            for (String handle : handlesOn(cluster, i)) {
                out.computeIfAbsent(handle, h -> new ArrayList<>()).add(i);
            }
        }
        return out;
    }

    /** The chunkserver ids the master lists for a chunk. */
    static List<String> listed(ChunkMeta chunk) {
        return chunk.replicas().stream().map(Replica::chunkserverId).sorted().toList();
    }

    /** Handles of every chunk of these files. */
    static Set<String> handlesOf(List<FileMeta> files) {
        Set<String> out = new TreeSet<>();
        files.forEach(f -> f.chunks().forEach(c -> out.add(c.handle().hex())));
        return out;
    }

    /** Damages a replica file: flips 100 bytes in its middle, leaving its size and its checksum file alone. */
    static void overwriteMiddle(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long middle = channel.size() / 2;
            ByteBuffer bytes = ByteBuffer.allocate(100);
            channel.read(bytes, middle);
            byte[] flipped = bytes.array();
            for (int i = 0; i < flipped.length; i++) {
                flipped[i] = (byte) ~flipped[i];
            }
            channel.write(ByteBuffer.wrap(flipped), middle);
            channel.force(true);
        }
    }
}
