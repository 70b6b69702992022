package io.granary.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.granary.common.ByteSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The report as JSON: the same figures as the table, with every repeat's value. */
final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    static void write(BenchReport report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        MAPPER.writeValue(file.toFile(), toJson(report));
    }

    static ObjectNode toJson(BenchReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("started", report.started().toString());
        root.put("elapsedSeconds", report.elapsed().toMillis() / 1000.0);
        root.set("environment", MAPPER.valueToTree(report.environment()));
        ObjectNode config = root.putObject("config");
        ArrayNode sizes = config.putArray("sizes");
        report.config().sizes().forEach(s -> sizes.add(ByteSize.format(s)));
        config.put("repeats", report.config().repeats());
        config.put("warmUpRuns", 1);
        config.put("smallOps", report.config().smallOps());
        config.put("redisWaitOnly", report.config().redisWaitOnly());
        if (report.config().ownCluster()) {
            ArrayNode jvm = config.putArray("clusterJvmOptions");
            report.config().childJvmOptions().forEach(jvm::add);
        }
        ArrayNode rows = root.putArray("figures");
        for (Comparison row : report.rows()) {
            ObjectNode node = figure(rows.addObject(), row.figure());
            if (row.baseline() != null) {
                node.put("baseline", row.baseline().name());
                node.put("baselineMedian", row.baseline().median());
                node.put("ratio", row.ratio());
            }
        }
        ArrayNode baselines = root.putArray("baselines");
        report.baselines().forEach(f -> figure(baselines.addObject(), f));
        ArrayNode cpu = root.putArray("cpu");
        report.cpu().forEach(f -> figure(cpu.addObject(), f));
        ArrayNode memory = root.putArray("memory");
        report.memory().forEach(f -> memory.addObject().put("name", f.name()).put("unit", f.unit())
                .put("peak", f.median()));
        ArrayNode redisWait = root.putArray("redisWait");
        for (RedisWaitCost cost : report.redisWait()) {
            ObjectNode node = redisWait.addObject().put("name", cost.name()).put("waitReplicas", cost.replicas())
                    .put("unit", cost.withWait().unit());
            figure(node.putObject("withWait"), cost.withWait());
            figure(node.putObject("withoutWait"), cost.withoutWait());
            node.put("difference", cost.difference()).put("ratio", cost.ratio());
        }
        ArrayNode targets = root.putArray("targets");
        for (TargetResult t : report.targets()) {
            targets.addObject().put("target", t.target()).put("value", t.value()).put("unit", t.unit())
                    .put("limit", t.limit()).put("atLeast", t.atLeast()).put("met", t.met());
        }
        root.set("notes", MAPPER.valueToTree(report.notes()));
        return root;
    }

    private static ObjectNode figure(ObjectNode node, Figure f) {
        node.put("name", f.name()).put("unit", f.unit()).put("median", f.median()).put("min", f.min())
                .put("max", f.max());
        ArrayNode values = node.putArray("values");
        f.values().forEach(values::add);
        return node;
    }
}
