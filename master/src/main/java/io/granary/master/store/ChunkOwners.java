package io.granary.master.store;

import io.granary.common.ChunkHandle;
import io.granary.master.model.ChunkOwner;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Finds the files that chunks belong to, for fsck: the {@code chunk} hash gives each handle's inode,
 * a breadth-first walk of the directory hashes gives the inodes' paths, and each file's chunk list
 * gives the index. Directories are not linked to their parents, so the walk is O(entries) with one
 * command per directory; it stops as soon as every inode is placed. Not atomic: a file replaced
 * during the walk is simply not found. Runs outside scripts so Redis is never blocked for long.
 */
final class ChunkOwners {
    private static final String ROOT_INODE = "1";

    private final RedisCommands<String, String> redis;
    private final UnaryOperator<String> key;

    ChunkOwners(RedisCommands<String, String> redis, UnaryOperator<String> key) {
        this.redis = redis;
        this.key = key;
    }

    Map<ChunkHandle, ChunkOwner> find(Collection<ChunkHandle> handles) {
        Map<String, List<ChunkHandle>> byInode = new HashMap<>();
        for (ChunkHandle handle : handles) {
            String value = redis.hget(key.apply("chunk"), handle.hex()); // "<inode>:<replication>"
            if (value != null) {
                byInode.computeIfAbsent(value.substring(0, value.indexOf(':')), i -> new ArrayList<>())
                        .add(handle);
            }
        }
        Map<String, String> paths = paths(byInode.keySet());
        Map<ChunkHandle, ChunkOwner> out = new HashMap<>();
        paths.forEach((inode, path) -> {
            List<String> chunks = redis.lrange(key.apply("chunks:" + inode), 0, -1);
            for (ChunkHandle handle : byInode.get(inode)) {
                out.put(handle, new ChunkOwner(path, chunks.indexOf(handle.hex())));
            }
        });
        return out;
    }

    /** Paths of the given file inodes, found by walking the namespace from the root. */
    private Map<String, String> paths(Collection<String> inodes) {
        Map<String, String> found = new HashMap<>();
        Deque<String[]> dirs = new ArrayDeque<>();
        dirs.add(new String[] {ROOT_INODE, ""});
        while (!dirs.isEmpty() && found.size() < inodes.size()) {
            String[] dir = dirs.poll();
            redis.hgetall(key.apply("dir:" + dir[0])).forEach((name, ref) -> {
                String inode = ref.substring(2); // "f:<inode>" or "d:<inode>"
                if (ref.startsWith("d:")) {
                    dirs.add(new String[] {inode, dir[1] + name + "/"});
                } else if (inodes.contains(inode)) {
                    found.put(inode, dir[1] + name);
                }
            });
        }
        return found;
    }
}
