package io.granary.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The report as a plain-text table for the terminal (and for {@code docs/benchmarks.md}). */
final class ReportTable {
    private static final Pattern NUMBER = Pattern.compile("[-+]?[0-9][0-9,.]*x?|n/a");
    private static final String[] HEADER = {"figure", "median", "min", "max", "unit", "baseline", "baseline median",
        "ratio"};

    private ReportTable() {
    }

    static String render(BenchReport report) {
        StringBuilder out = new StringBuilder("Granary benchmark, " + report.started() + " ("
                + report.elapsed().toSeconds() + " s)\n");
        report.environment().forEach(line -> out.append("  ").append(line).append('\n'));
        out.append('\n');
        if (!report.rows().isEmpty()) {
            List<String[]> lines = new ArrayList<>();
            for (Comparison row : report.rows()) {
                Figure f = row.figure();
                Figure b = row.baseline();
                lines.add(new String[] {f.name(), number(f.median()), number(f.min()), number(f.max()), f.unit(),
                    b == null ? "-" : b.name(), b == null ? "-" : number(b.median()),
                    b == null ? "-" : ratio(row.ratio())});
            }
            table(out, HEADER, lines);
            out.append("\nBaselines\n");
            table(out, new String[] {"baseline", "median", "min", "max", "unit"}, report.baselines().stream()
                    .map(f -> new String[] {f.name(), number(f.median()), number(f.min()), number(f.max()), f.unit()})
                    .toList());
        }
        if (!report.redisWait().isEmpty()) {
            redisWait(out, report.redisWait());
        }
        if (!report.cpu().isEmpty()) {
            out.append("\nCPU time per GiB moved, at the largest size (user + system; the cluster's JVM and "
                    + "redis-server, the benchmark's JVM)\n");
            table(out, new String[] {"figure", "median", "min", "max", "unit"}, report.cpu().stream()
                    .map(f -> new String[] {f.name(), number(f.median()), number(f.min()), number(f.max()), f.unit()})
                    .toList());
        }
        if (!report.memory().isEmpty()) {
            String jvm = report.config().ownCluster()
                    ? " (JVM options " + String.join(" ", report.config().childJvmOptions()) + ")" : "";
            out.append("\nMemory of the cluster process").append(jvm).append('\n');
            table(out, new String[] {"figure", "peak", "unit"}, report.memory().stream()
                    .map(f -> new String[] {f.name(), number(f.median()), f.unit()}).toList());
        }
        if (!report.targets().isEmpty()) {
            out.append("\nTargets\n");
            for (TargetResult t : report.targets()) {
                String value = t.failed() ? "its figure failed (see the notes)"
                        : number(t.value()) + (t.unit().equals(TargetResult.RATIO) ? "x" : " " + t.unit());
                out.append(String.format(Locale.ROOT, "  %-7s %s: %s%n", t.met() ? "MET" : "MISSED", t.target(), value));
            }
        }
        out.append('\n');
        report.notes().forEach(note -> out.append("Note: ").append(note).append('\n'));
        return out.toString();
    }

    /** Each figure with and without WAIT, in milliseconds per upload, with what WAIT adds. */
    private static void redisWait(StringBuilder out, List<RedisWaitCost> costs) {
        String waiting = RedisWaitWorkload.WAITING;
        String notWaiting = RedisWaitWorkload.NOT_WAITING;
        out.append("\nRedis WAIT: ").append(costs.get(0).withWait().unit()).append(" with --redis-wait-replicas ")
                .append(costs.get(0).replicas()).append(" and without (0), the same run; difference and ratio of the "
                        + "medians\n");
        table(out, new String[] {"figure", waiting, "min", "max", notWaiting, "min", "max", "difference", "ratio"},
                costs.stream().map(c -> new String[] {c.name(), number(c.withWait().median()),
                    number(c.withWait().min()), number(c.withWait().max()), number(c.withoutWait().median()),
                    number(c.withoutWait().min()), number(c.withoutWait().max()),
                    (c.difference() >= 0 ? "+" : "") + number(c.difference()), ratio(c.ratio())}).toList());
    }

    private static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    /** A figure as the table prints it: 3 significant digits at least, thousands separated. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double abs = Math.abs(value);
        String pattern = abs >= 100 ? "%,.0f" : abs >= 10 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }

    private static void table(StringBuilder out, String[] header, List<String[]> lines) {
        int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
            for (String[] line : lines) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        appendLine(out, header, widths);
        String[] rule = new String[header.length];
        for (int i = 0; i < header.length; i++) {
            rule[i] = "-".repeat(widths[i]);
        }
        appendLine(out, rule, widths);
        lines.forEach(line -> appendLine(out, line, widths));
    }

    /** Markdown-compatible: "| a | b |" with text left-aligned and numbers right-aligned. */
    private static void appendLine(StringBuilder out, String[] cells, int[] widths) {
        out.append('|');
        for (int i = 0; i < cells.length; i++) {
            boolean numeric = NUMBER.matcher(cells[i]).matches();
            String format = numeric && i > 0 ? " %" + widths[i] + "s |" : " %-" + widths[i] + "s |";
            out.append(String.format(Locale.ROOT, format, cells[i]));
        }
        out.append('\n');
    }
}
