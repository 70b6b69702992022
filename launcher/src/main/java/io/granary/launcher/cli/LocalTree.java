package io.granary.launcher.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * A local directory tree. Symbolic links are followed; entries that are neither files nor
 * directories (sockets, devices) are left out. A file is written beside its target as
 * {@code NAME.part} and renamed only when complete, so an interrupted copy never looks whole.
 */
final class LocalTree implements Tree {
    static final String PART_SUFFIX = ".part";

    private final Path root;

    LocalTree(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path resolve(String rel) {
        return rel.isEmpty() ? root : root.resolve(rel);
    }

    @Override
    public String describe(String rel) {
        return resolve(rel).toString();
    }

    @Override
    public Entry stat(String rel) throws IOException {
        Path path = resolve(rel);
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return entry(path, attributes);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public List<Entry> list(String rel) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(resolve(rel))) {
            for (Path child : children) {
                Entry entry = entry(child, Files.readAttributes(child, BasicFileAttributes.class));
                if (entry != null) {
                    entries.add(entry);
                }
            }
        }
        entries.sort(Comparator.comparing(Entry::name));
        return entries;
    }

    @Override
    public String sha256(String rel, Entry entry) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        try (InputStream in = new DigestInputStream(open(rel), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public InputStream open(String rel) throws IOException {
        return Files.newInputStream(resolve(rel));
    }

    @Override
    public void write(String rel, long size, InputStream in) throws IOException {
        Path target = resolve(rel);
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + PART_SUFFIX);
        try (OutputStream out = Files.newOutputStream(part)) {
            in.transferTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void mkdirs(String rel) throws IOException {
        Files.createDirectories(resolve(rel));
    }

    @Override
    public void delete(String rel, boolean directory) throws IOException {
        Path path = resolve(rel);
        if (!directory) {
            Files.deleteIfExists(path);
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static Entry entry(Path path, BasicFileAttributes attributes) {
        if (!attributes.isDirectory() && !attributes.isRegularFile()) {
            return null;
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        return new Entry(name, attributes.isDirectory(), attributes.isDirectory() ? 0 : attributes.size(),
                attributes.lastModifiedTime().toInstant(), null);
    }

}
