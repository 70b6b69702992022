package io.granary.chunkserver.store;

import io.granary.common.ChunkHandle;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Replays the {@link CommitJournal} a crash left, at start. */
final class JournalRecovery {
    private static final Logger log = LoggerFactory.getLogger(JournalRecovery.class);

    private JournalRecovery() {
    }

    /**
     * Brings every chunk the log holds back to its logged state: a chunk whose files are missing,
     * short or different is written again from its record, a deleted one is deleted again; then all
     * of them are forced to disk and the segments deleted. Runs at start, before the store scans
     * its chunks and while {@code DATA/tmp} is empty.
     */
    static void recover(ChunkLayout layout, String nodeId) throws IOException {
        Files.createDirectories(layout.journalDir());
        List<Path> segments = segments(layout);
        if (segments.isEmpty()) {
            return;
        }
        Map<ChunkHandle, JournalRecord> last = new LinkedHashMap<>();
        for (Path segment : segments) {
            readSegment(segment, nodeId, record -> {
                last.remove(record.handle());
                last.put(record.handle(), record);
            });
        }
        Set<ChunkHandle> kept = new HashSet<>();
        int rewritten = 0;
        for (JournalRecord record : last.values()) {
            if (record.type() == JournalRecord.DELETE) {
                DiskFiles.deleteQuietly(layout.chunkFile(record.handle()));
                DiskFiles.deleteQuietly(layout.crcFile(record.handle()));
            } else {
                if (!onDisk(layout, record)) {
                    rewrite(layout, record);
                    rewritten++;
                }
                kept.add(record.handle());
            }
        }
        CommitJournal.settle(layout, kept);
        for (Path segment : segments) {
            Files.delete(segment);
        }
        DiskFiles.fsyncDirectory(layout.journalDir());
        log.info("{}: replayed {} logged chunks from {} journal segments, {} of them written again",
                nodeId, kept.size(), segments.size(), rewritten);
    }

    /** The segments in {@code DATA/journal/}, oldest first. */
    private static List<Path> segments(ChunkLayout layout) throws IOException {
        List<Path> segments = new ArrayList<>();
        String suffix = CommitJournal.SUFFIX;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.journalDir(), "*" + suffix)) {
            for (Path file : files) {
                if (file.getFileName().toString().matches("[0-9a-f]{16}\\" + suffix)) {
                    segments.add(file);
                }
            }
        }
        segments.sort(null);
        return segments;
    }

    private static void readSegment(Path segment, String nodeId, Consumer<JournalRecord> each) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            long position = 0;
            long size = channel.size();
            while (position < size) {
                JournalRecord record = JournalRecord.read(channel, position, size);
                if (record == null) {
                    log.warn("{}: journal segment {} ends in an incomplete record at byte {} of {}; "
                            + "it was never acknowledged", nodeId, segment.getFileName(), position, size);
                    return;
                }
                each.accept(record);
                position += record.length();
            }
        }
    }

    /** Whether a logged chunk's files hold exactly its record: same bytes, same checksums. */
    private static boolean onDisk(ChunkLayout layout, JournalRecord record) throws IOException {
        Path chunkFile = layout.chunkFile(record.handle());
        Path crcFile = layout.crcFile(record.handle());
        int length = record.data().length;
        if (!Files.isRegularFile(chunkFile) || Files.size(chunkFile) != length
                || !ChecksumFile.matches(crcFile, length)) {
            return false;
        }
        try (FileChannel crcs = FileChannel.open(crcFile, StandardOpenOption.READ)) {
            if (length > 0 && ChecksumFile.read(crcs, 0, 1)[0] != record.crc()) {
                return false;
            }
        } catch (EOFException e) {
            return false;
        }
        return Arrays.equals(Files.readAllBytes(chunkFile), record.data());
    }

    /** Writes a logged chunk's two files again, durably, the way a writer installs them. */
    private static void rewrite(ChunkLayout layout, JournalRecord record) throws IOException {
        ChunkHandle handle = record.handle();
        Files.createDirectories(layout.dirOf(handle));
        DiskFiles.fsyncDirectory(layout.chunksDir());
        String base = handle.hex() + ".replay";
        Path tmpChunk = layout.tmpDir().resolve(base + ChunkLayout.CHUNK_SUFFIX);
        Path tmpCrc = layout.tmpDir().resolve(base + ChunkLayout.CRC_SUFFIX);
        Files.deleteIfExists(tmpChunk);
        Files.deleteIfExists(tmpCrc);
        try (FileChannel channel = FileChannel.open(tmpChunk, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ByteBuffer data = ByteBuffer.wrap(record.data());
            while (data.hasRemaining()) {
                channel.write(data);
            }
            channel.force(true);
        }
        ChecksumFile.write(tmpCrc, record.data().length, new int[] {record.crc()}, true);
        Files.move(tmpCrc, layout.crcFile(handle), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmpChunk, layout.chunkFile(handle), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        DiskFiles.fsyncDirectory(layout.dirOf(handle));
    }
}
