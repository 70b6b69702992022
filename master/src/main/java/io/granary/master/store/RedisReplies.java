package io.granary.master.store;

import io.granary.common.Actor;
import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.Visibility;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.DirectoryEntry;
import io.granary.common.meta.DirectoryPage;
import io.granary.common.meta.EntryType;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.MultipartUpload;
import io.granary.common.meta.PartListing;
import io.granary.common.meta.PartMeta;
import io.granary.common.meta.UploadListing;
import io.granary.master.model.UploadSession;
import io.granary.master.model.WritePrecondition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns what Redis answers (script replies, hashes) into records, in one place. */
final class RedisReplies {
    /**
     * The prefix of the fields that hold a file's metadata on its inode hash (and an upload's on its
     * upload hash): {@code meta:<name>} → value. A metadata name holds no ':', so no field can be mistaken.
     */
    static final String METADATA_FIELD = "meta:";

    private RedisReplies() {
    }

    /** A list of 16-hex-digit handles, as scripts answer them. */
    static List<ChunkHandle> handles(Object reply) {
        List<?> items = (List<?>) reply;
        List<ChunkHandle> out = new ArrayList<>(items.size());
        for (Object item : items) {
            out.add(ChunkHandle.parse((String) item));
        }
        return out;
    }

    static List<String> hex(List<ChunkHandle> handles) {
        List<String> out = new ArrayList<>(handles.size());
        for (ChunkHandle h : handles) {
            out.add(h.hex());
        }
        return out;
    }

    /**
     * The answer of lookup (and of mkdir, rename and set_visibility, which start the same way): inode
     * id, the inode hash as a flat list, the chunk list, and the chunk sizes when they are irregular.
     */
    static FileMeta fileMeta(GranaryPath path, List<Object> reply) {
        long inode = Long.parseLong((String) reply.get(0));
        Map<String, String> fields = pairs((List<?>) reply.get(1));
        Instant created = Instant.ofEpochMilli(longOf(fields, "created"));
        Instant modified = Instant.ofEpochMilli(longOf(fields, "modified"));
        if (!"f".equals(fields.get("type"))) {
            return new FileMeta(path.toString(), EntryType.DIRECTORY, inode, longOf(fields, "size"), 0, 0, "", "", created,
                    modified, List.of(), longOf(fields, "files"), fields.getOrDefault("owner", ""), Visibility.PRIVATE);
        }
        long size = longOf(fields, "size");
        long chunkSize = longOf(fields, "chunkSize");
        List<ChunkHandle> handles = handles(reply.get(2));
        List<?> sizes = (List<?>) reply.get(3);
        return new FileMeta(path.toString(), EntryType.FILE, inode, size, (int) longOf(fields, "replication"), chunkSize,
                fields.getOrDefault("sha256", ""), fields.getOrDefault("contentType", ""), created, modified,
                sizes.isEmpty() ? chunks(handles, size, chunkSize) : chunks(handles, sizes), 0,
                fields.getOrDefault("owner", ""),
                "public".equals(fields.get("visibility")) ? Visibility.PUBLIC : Visibility.PRIVATE,
                fields.getOrDefault("etag", ""), metadata(fields));
    }

    /** The {@code meta:<name>} fields of a hash, by name. */
    private static Map<String, String> metadata(Map<String, String> fields) {
        Map<String, String> out = new HashMap<>();
        fields.forEach((field, value) -> {
            if (field.startsWith(METADATA_FIELD)) {
                out.put(field.substring(METADATA_FIELD.length()), value);
            }
        });
        return out;
    }

    /** Chunks whose sizes are stored (a multipart upload's file): one size per handle, in the same order. */
    private static List<ChunkMeta> chunks(List<ChunkHandle> handles, List<?> sizes) {
        if (sizes.size() != handles.size()) {
            throw new GranaryException(ErrorKind.INTERNAL, "the metadata store holds " + sizes.size()
                    + " chunk sizes for " + handles.size() + " chunks");
        }
        List<ChunkMeta> out = new ArrayList<>(handles.size());
        for (int i = 0; i < handles.size(); i++) {
            out.add(new ChunkMeta(i, handles.get(i), Long.parseLong((String) sizes.get(i)), List.of()));
        }
        return out;
    }

    /** Chunks as complete_multipart answers them: handle, bytes, handle, bytes, ... in file order. */
    static List<ChunkMeta> chunks(List<?> flat) {
        List<ChunkMeta> out = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.add(new ChunkMeta(i / 2, ChunkHandle.parse((String) flat.get(i)),
                    Long.parseLong((String) flat.get(i + 1)), List.of()));
        }
        return out;
    }

    /** Chunk sizes follow from the file size: every chunk is full but the last (checked at commit). */
    private static List<ChunkMeta> chunks(List<ChunkHandle> handles, long size, long chunkSize) {
        List<ChunkMeta> out = new ArrayList<>(handles.size());
        for (int i = 0; i < handles.size(); i++) {
            long chunkBytes = i < handles.size() - 1 ? chunkSize : size - chunkSize * (handles.size() - 1);
            out.add(new ChunkMeta(i, handles.get(i), chunkBytes, List.of()));
        }
        return out;
    }

    static UploadSession upload(String id, Map<String, String> fields) {
        return new UploadSession(id, GranaryPath.of(fields.get("path")), (int) longOf(fields, "replication"),
                longOf(fields, "chunkSize"), fields.getOrDefault("contentType", ""), longOf(fields, "active"),
                new WritePrecondition(fields.getOrDefault("ifMatch", ""), "1".equals(fields.get("ifNoneMatch"))),
                // an upload without an 'admin' field is a cluster caller's
                new Actor(fields.getOrDefault("owner", ""), !"0".equals(fields.get("admin"))),
                fields.getOrDefault("visibility", "").isEmpty() ? null : Visibility.parse(fields.get("visibility")),
                metadata(fields), "1".equals(fields.get("multipart")));
    }

    /** A multipart upload from its upload hash. */
    static MultipartUpload multipartUpload(String id, Map<String, String> fields) {
        return new MultipartUpload(id, GranaryPath.of(fields.get("path")).toString(),
                Instant.ofEpochMilli(longOf(fields, "started")), fields.getOrDefault("owner", ""),
                fields.getOrDefault("contentType", ""), metadata(fields), longOf(fields, "chunkSize"),
                (int) longOf(fields, "replication"));
    }

    /**
     * list_parts's answer: the upload hash and up to {@code limit} + 1 part records
     * ({@code <number> <size> <md5> <sha256> <recorded_ms> <chunk>...}); the extra one says more follow.
     */
    static PartListing partListing(String id, Map<String, String> upload, List<?> records, int limit) {
        List<PartMeta> parts = new ArrayList<>(Math.min(records.size(), limit));
        for (int i = 0; i < records.size() && i < limit; i++) {
            String[] t = ((String) records.get(i)).split(" ");
            parts.add(new PartMeta(Integer.parseInt(t[0]), Long.parseLong(t[1]), t[2], t[3],
                    Instant.ofEpochMilli(Long.parseLong(t[4]))));
        }
        boolean truncated = records.size() > limit;
        return new PartListing(multipartUpload(id, upload), parts,
                truncated ? parts.get(parts.size() - 1).partNumber() : 0, truncated);
    }

    /** list_uploads's answer: id, upload hash, id, upload hash, ... up to {@code limit} + 1 uploads. */
    static UploadListing uploadListing(List<?> flat, int limit) {
        List<MultipartUpload> uploads = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size() && uploads.size() < limit; i += 2) {
            uploads.add(multipartUpload((String) flat.get(i), pairs((List<?>) flat.get(i + 1))));
        }
        boolean truncated = flat.size() / 2 > limit;
        MultipartUpload last = truncated ? uploads.get(uploads.size() - 1) : null;
        return new UploadListing(uploads, truncated ? last.path() : "", truncated ? last.uploadId() : "", truncated);
    }

    /**
     * Whether a listing that resumes after ({@code afterPath}, {@code afterUploadId}) starts past the
     * first upload below {@code prefix}: the marker sorts at or after the prefix in the byte order of
     * UTF-8, which is the order of {@code uploads:paths} (path, a 0 byte, id; a marker without id
     * stands past every id, as a 255 byte would).
     */
    static boolean sortsAfter(String afterPath, String afterUploadId, String prefix) {
        byte[] path = afterPath.getBytes(StandardCharsets.UTF_8);
        byte[] id = afterUploadId.isEmpty() ? new byte[] {(byte) 0xff} : afterUploadId.getBytes(StandardCharsets.UTF_8);
        byte[] marker = new byte[path.length + 1 + id.length];
        System.arraycopy(path, 0, marker, 0, path.length);
        System.arraycopy(id, 0, marker, path.length + 1, id.length);
        return Arrays.compareUnsigned(marker, prefix.getBytes(StandardCharsets.UTF_8)) >= 0;
    }

    /** The list script's answer: name, type, size, modified, etag, sha256, name, ... */
    static DirectoryPage page(List<?> flat, boolean more) {
        List<DirectoryEntry> entries = new ArrayList<>(flat.size() / 6);
        for (int i = 0; i + 5 < flat.size(); i += 6) {
            EntryType type = "f".equals(flat.get(i + 1)) ? EntryType.FILE : EntryType.DIRECTORY;
            entries.add(new DirectoryEntry((String) flat.get(i), type, Long.parseLong((String) flat.get(i + 2)),
                    Instant.ofEpochMilli(Long.parseLong((String) flat.get(i + 3))), (String) flat.get(i + 5),
                    (String) flat.get(i + 4)));
        }
        String next = more ? entries.get(entries.size() - 1).name() : "";
        return new DirectoryPage(entries, next);
    }

    /** A hash as HGETALL answers it inside a script: field, value, field, value... */
    static Map<String, String> pairs(List<?> flat) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return out;
    }

    private static long longOf(Map<String, String> fields, String name) {
        String value = fields.get(name);
        return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    }
}
