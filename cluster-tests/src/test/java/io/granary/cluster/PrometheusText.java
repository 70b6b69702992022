package io.granary.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads series out of a Prometheus text-format scrape: enough for tests, not a full parser. */
record PrometheusText(String text) {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$",
            Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** GETs {@code url} and checks it answers 200 in the Prometheus text format. */
    static PrometheusText scrape(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200
                    || !response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain")) {
                throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
            }
            return new PrometheusText(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static PrometheusText scrapePort(int port) {
        return scrape("http://127.0.0.1:" + port + "/metrics");
    }

    /** One sample line of a series: its labels (escapes left as written) and its value. */
    record Sample(Map<String, String> labels, double value) {
    }

    /** Every sample of {@code name}, in the order of the text. */
    List<Sample> samples(String name) {
        Matcher m = SAMPLE.matcher(text);
        List<Sample> samples = new ArrayList<>();
        while (m.find()) {
            if (m.group(1).equals(name)) {
                samples.add(new Sample(labels(m.group(3)), Double.parseDouble(m.group(4))));
            }
        }
        return samples;
    }

    /** The name of every sample, as written ({@code _bucket}, {@code _count}, {@code _total} included). */
    Set<String> names() {
        Matcher m = SAMPLE.matcher(text);
        Set<String> names = new LinkedHashSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Whether any sample of {@code name} exists. */
    boolean has(String name) {
        return sum(name, Map.of()) != null;
    }

    /** The sum of every sample of {@code name} whose labels include {@code labels}; null when there is none. */
    Double sum(String name, Map<String, String> labels) {
        Matcher m = SAMPLE.matcher(text);
        Double total = null;
        while (m.find()) {
            if (m.group(1).equals(name) && matches(m.group(3), labels)) {
                total = (total == null ? 0 : total) + Double.parseDouble(m.group(4));
            }
        }
        return total;
    }

    /** As {@link #sum}, 0 when there is no such sample. */
    double value(String name, Map<String, String> labels) {
        Double sum = sum(name, labels);
        return sum == null ? 0 : sum;
    }

    double value(String name) {
        return value(name, Map.of());
    }

    private static Map<String, String> labels(String labelText) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (labelText != null) {
            Matcher m = LABEL.matcher(labelText);
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
        }
        return labels;
    }

    private static boolean matches(String labelText, Map<String, String> wanted) {
        String text = labelText == null ? "" : labelText;
        return wanted.entrySet().stream().allMatch(e -> text.contains(e.getKey() + "=\"" + e.getValue() + "\""));
    }
}
