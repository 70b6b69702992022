package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * What {@code cp} and {@code mirror} share: the bound on parallel transfers, the total progress
 * line, the per-entry lines of a dry run and of failures, and the summary (text or {@code --json})
 * with exit code {@link ExitCodes#PARTIAL} when anything failed.
 */
abstract class TreeCommand extends CliCommand {
    static final int DEFAULT_PARALLEL = 4;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "" + DEFAULT_PARALLEL,
            description = "Files transferred at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--json", description = "Print a JSON summary: {source, target, dryRun, copied, skipped, "
            + "deleted, failed, bytes, failures: [{path, error}]} (a dry run adds actions: [{action, path, size}]).")
    boolean json;

    @Option(names = "--no-progress", description = "Never print a progress line.")
    boolean noProgress;

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Skip entries whose name or path below the "
            + "copied folder matches GLOB (*.tmp, .git, cache/**); may be repeated. A skipped folder is not walked, "
            + "and mirror --delete keeps what is skipped.")
    List<String> exclude;

    private ArrayNode actions;

    void checkParallel() {
        if (parallel < 1) {
            throw new CliException(ExitCodes.USAGE, "--parallel must be at least 1, not " + parallel);
        }
    }

    /** A missing local path, or one of the wrong kind, is the user's mistake: exit code 1. */
    static void requireLocal(Path path, boolean directory) {
        if (!Files.exists(path)) {
            throw new CliException(ExitCodes.USAGE, "no such local " + (directory ? "folder" : "file or folder") + ": "
                    + path);
        }
        if (directory && !Files.isDirectory(path)) {
            throw new CliException(ExitCodes.USAGE, path + " is a file, not a folder");
        }
    }

    /** The progress of copying everything below {@code root}; local trees are counted only when it shows. */
    TotalProgress progress(Tree root, boolean upload) {
        boolean enabled = !noProgress && !json && Progress.interactive();
        long files = 0;
        long bytes = 0;
        if (enabled && upload) {
            try (Stream<Path> walk = Files.walk(((LocalTree) root).resolve(""))) {
                for (Path path : (Iterable<Path>) walk::iterator) {
                    if (Files.isRegularFile(path)) {
                        files++;
                        bytes += Files.size(path);
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                files = 0; // no totals: the line shows what is done
                bytes = 0;
            }
        } else if (enabled) {
            long[] totals = ((RemoteTree) root).totals("");
            bytes = totals[0];
            files = totals[1];
        }
        return new TotalProgress(err(), spec.name(), files, bytes, enabled);
    }

    TreeCopy.Reporter reporter() {
        return new TreeCopy.Reporter() {
            @Override
            public synchronized void planned(String action, String path, long size) {
                if (json) {
                    if (actions == null) {
                        actions = JSON.createArrayNode();
                    }
                    actions.addObject().put("action", action).put("path", path).put("size", size);
                } else {
                    out().println(action.equals("copy") ? "copy   " + path + "  (" + Progress.human(size) + ")"
                            : String.format("%-6s %s", action, path));
                }
            }

            @Override
            public synchronized void failed(String path, String error) {
                err().println(spec.qualifiedName() + ": " + path + ": " + error);
                err().flush();
            }
        };
    }

    /** Prints the summary; throws {@link ExitCodes#PARTIAL} when anything failed. */
    void finish(String source, String target, boolean dryRun, TreeCopy.Summary summary) throws IOException {
        int failed = summary.failures().size();
        if (json) {
            ObjectNode node = JSON.createObjectNode().put("source", source).put("target", target).put("dryRun", dryRun)
                    .put("copied", summary.copied.get()).put("skipped", summary.skipped.get())
                    .put("deleted", summary.deleted.get()).put("failed", failed).put("bytes", summary.bytes.get());
            ArrayNode failures = node.putArray("failures");
            for (String[] failure : summary.failures()) {
                failures.addObject().put("path", failure[0]).put("error", failure[1]);
            }
            if (dryRun) {
                node.set("actions", actions == null ? JSON.createArrayNode() : actions);
            }
            printJson(node);
        } else {
            out().printf("%s%d copied (%s), %d skipped, %d deleted, %d failed%n", dryRun ? "dry run, nothing changed: "
                    : "", summary.copied.get(), Progress.human(summary.bytes.get()), summary.skipped.get(),
                    summary.deleted.get(), failed);
        }
        if (failed > 0) {
            throw new CliException(ExitCodes.PARTIAL, failed + (failed == 1 ? " entry" : " entries")
                    + " failed; the others were done");
        }
    }
}
