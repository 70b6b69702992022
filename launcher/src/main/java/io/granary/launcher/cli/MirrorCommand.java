package io.granary.launcher.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code granary mirror SRC DST}: makes directory DST like directory SRC, one local and the other in
 * Granary ({@link CopyEnds}), copying only files whose size or SHA-256 differ. A Granary file's
 * SHA-256 comes with its listing; a local file's is computed, streamed, and only when the sizes
 * are equal. Run twice, the second run copies nothing.
 */
@Command(name = "mirror", aliases = "sync", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = {"Makes directory DST like directory SRC, between the local disk and Granary, either way: "
                + "copies the files that are missing or differ by size or SHA-256, creates missing folders, and "
                + "with --delete removes what SRC lacks. Prints what it did: copied, skipped, deleted, bytes.",
            "Paths are told apart as cp does (gr: marks a Granary path, ./ a local one)."},
        exitCodeListHeading = ExitCodeHelp.HEADING,
        exitCodeList = {ExitCodeHelp.OK, ExitCodeHelp.USAGE, ExitCodeHelp.NOT_FOUND, ExitCodeHelp.CONFLICT,
            ExitCodeHelp.UNAVAILABLE, ExitCodeHelp.AUTH, ExitCodeHelp.PARTIAL})
public final class MirrorCommand extends TreeCommand {

    @Parameters(index = "0", paramLabel = "SRC", description = "The directory to copy from.")
    String source;

    @Parameters(index = "1", paramLabel = "DST", description = "The directory to make like it (created when missing).")
    String target;

    @Option(names = "--delete", description = "Delete files and folders in DST that SRC does not have.")
    boolean delete;

    @Option(names = "--dry-run", description = "Change nothing: print each copy, mkdir and delete it would do.")
    boolean dryRun;

    @Override
    void execute() throws IOException {
        checkParallel();
        CopyEnds ends = CopyEnds.of(source, target);
        Tree from;
        Tree to;
        if (ends.upload()) {
            Path local = Path.of(ends.source());
            TreeCommand.requireLocal(local, true);
            from = new LocalTree(local);
            to = new RemoteTree(http, ends.target());
        } else {
            String remote = RemoteListing.normalize(ends.source());
            Tree.Entry entry = new RemoteTree(http, "").stat(remote);
            if (entry == null) {
                throw new CliException(ExitCodes.NOT_FOUND, "nothing at /" + remote + " in Granary (nor a local "
                        + ends.source() + ")");
            }
            if (!entry.directory()) {
                throw new CliException(ExitCodes.USAGE, "/" + remote + " is a file: mirror copies directories; use cp");
            }
            Path local = Path.of(ends.target());
            if (Files.exists(local) && !Files.isDirectory(local)) {
                throw new CliException(ExitCodes.USAGE, local + " is a file, not a folder");
            }
            from = new RemoteTree(http, remote);
            to = new LocalTree(local);
        }
        TreeCopy.Options options = new TreeCopy.Options(true, delete, dryRun, parallel, Excludes.of(exclude));
        TotalProgress progress = progress(from, ends.upload());
        TreeCopy.Summary summary;
        try {
            summary = new TreeCopy(from, to, options, progress, reporter()).copyTree();
        } finally {
            progress.finish();
        }
        finish(from.describe(""), to.describe(""), dryRun, summary);
    }
}
