package io.granary.launcher.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code granary cp [-r] SRC DST}: copies a file, or with {@code -r} a directory tree, between the
 * local disk and Granary, either way ({@link CopyEnds} tells which side is which). As {@code mc cp}
 * and cp(1) do, a DST that ends with {@code /} or is an existing directory receives SRC under its
 * own name. {@code put} and {@code get} remain the single-file forms with stdin and stdout.
 */
@Command(name = "cp", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = {"Copies a file, or with -r a directory tree with its empty files and folders, between the "
                + "local disk and Granary, either way, streamed, several files at once.",
            "A Granary path may be marked gr: (gr:/videos), a local one ./; unmarked, a SRC that exists locally is "
                + "uploaded and any other is downloaded. A DST ending in / or an existing directory receives SRC "
                + "under its own name."},
        exitCodeListHeading = ExitCodeHelp.HEADING,
        exitCodeList = {ExitCodeHelp.OK, ExitCodeHelp.USAGE, ExitCodeHelp.NOT_FOUND, ExitCodeHelp.CONFLICT,
            ExitCodeHelp.UNAVAILABLE, ExitCodeHelp.AUTH, ExitCodeHelp.PARTIAL})
public final class CpCommand extends TreeCommand {

    @Parameters(index = "0", paramLabel = "SRC", description = "What to copy.")
    String source;

    @Parameters(index = "1", paramLabel = "DST", description = "Where to.")
    String target;

    @Option(names = {"-r", "--recursive"}, description = "Copy a directory and everything below it.")
    boolean recursive;

    @Override
    void execute() throws IOException {
        checkParallel();
        CopyEnds ends = CopyEnds.of(source, target);
        if (ends.upload()) {
            upload(Path.of(ends.source()), ends.target());
        } else {
            download(RemoteListing.normalize(ends.source()), ends.target());
        }
    }

    private void upload(Path from, String to) throws IOException {
        TreeCommand.requireLocal(from, false);
        boolean directory = Files.isDirectory(from);
        if (directory && !recursive) {
            throw new CliException(ExitCodes.USAGE, from + " is a folder: copy it with -r");
        }
        RemoteTree remote = new RemoteTree(http, "");
        String path = RemoteListing.normalize(to);
        Tree.Entry existing = remote.stat(path);
        if (to.endsWith("/") || (existing != null && existing.directory())) {
            path = Tree.child(path, from.toAbsolutePath().normalize().getFileName().toString());
        }
        LocalTree local = new LocalTree(from);
        if (directory) {
            copyTree(local, new RemoteTree(http, path), from.toString(), "/" + path, true);
        } else {
            copyFile(local, "", local.stat(""), remote, path, from.toString(), "/" + path);
        }
    }

    private void download(String from, String to) throws IOException {
        RemoteTree remote = new RemoteTree(http, "");
        Tree.Entry entry = remote.stat(from);
        if (entry == null) {
            throw new CliException(ExitCodes.NOT_FOUND, "nothing at /" + from + " in Granary (nor a local " + from + ")");
        }
        if (entry.directory() && !recursive) {
            throw new CliException(ExitCodes.USAGE, "/" + from + " is a directory: copy it with -r");
        }
        Path path = Path.of(to);
        String name = from.substring(from.lastIndexOf('/') + 1);
        if (!name.isEmpty() && (to.endsWith("/") || Files.isDirectory(path))) {
            path = path.resolve(name);
        }
        if (entry.directory() && Files.exists(path) && !Files.isDirectory(path)) {
            throw new CliException(ExitCodes.USAGE, path + " is a file, not a folder");
        }
        if (!entry.directory() && Files.isDirectory(path)) {
            throw new CliException(ExitCodes.USAGE, path + " is a folder where a file is expected");
        }
        if (entry.directory()) {
            copyTree(new RemoteTree(http, from), new LocalTree(path), "/" + from, path.toString(), false);
        } else {
            copyFile(remote, from, entry, new LocalTree(path), "", "/" + from, path.toString());
        }
    }

    private void copyTree(Tree from, Tree to, String source, String target, boolean upload) throws IOException {
        TreeCopy.Options options = new TreeCopy.Options(false, false, false, parallel, Excludes.of(exclude));
        TotalProgress progress = progress(from, upload);
        TreeCopy.Summary summary;
        try {
            summary = new TreeCopy(from, to, options, progress, reporter()).copyTree();
        } finally {
            progress.finish();
        }
        finish(source, target, false, summary);
    }

    private void copyFile(Tree from, String sourceRel, Tree.Entry entry, Tree to, String targetRel, String source,
                          String target) throws IOException {
        boolean enabled = !noProgress && !json && Progress.interactive();
        TotalProgress progress = new TotalProgress(err(), "cp", 1, entry.size(), enabled);
        TreeCopy.Summary summary;
        try {
            TreeCopy.Options options = new TreeCopy.Options(false, false, false, 1, Excludes.NONE);
            summary = new TreeCopy(from, to, options, progress, reporter()).copyFile(sourceRel, entry, targetRel);
        } finally {
            progress.finish();
        }
        finish(source, target, false, summary);
    }
}
