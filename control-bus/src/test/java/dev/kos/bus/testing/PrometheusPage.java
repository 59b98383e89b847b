package dev.kos.bus.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page of Prometheus's text format, read into its samples, for tests that scrape a kos process's {@code /metrics}
 * over HTTP: {@code value("kos_offers_total", "framework", "apps")} sums the samples of that name whose labels
 * include the given ones.
 */
public final class PrometheusPage {

  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One sample: its metric name, labels and value. */
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  private final List<Sample> samples;
  private final String text;

  private PrometheusPage(List<Sample> samples, String text) {
    this.samples = List.copyOf(samples);
    this.text = text;
  }

  /** GETs {@code url} and reads the page; fails unless the answer is 200 in the text format. */
  public static PrometheusPage scrape(String url) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET()
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError("GET " + url + " answered " + response.statusCode() + ": " + response.body());
      }
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (!type.startsWith("text/plain")) {
        throw new AssertionError("GET " + url + " answered Content-Type " + type + ", not Prometheus's text format");
      }
      return parse(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while scraping " + url, e);
    }
  }

  /** Reads a page: comment lines are skipped, each other line is {@code name{labels} value [timestamp]}. */
  public static PrometheusPage parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int brace = trimmed.indexOf('{');
      int space = trimmed.indexOf(' ');
      String name;
      Map<String, String> labels = new LinkedHashMap<>();
      String rest;
      if (brace >= 0 && (space < 0 || brace < space)) {
        name = trimmed.substring(0, brace);
        int close = trimmed.lastIndexOf('}');
        Matcher matcher = LABEL.matcher(trimmed.substring(brace + 1, close));
        while (matcher.find()) {
          labels.put(matcher.group(1), matcher.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        rest = trimmed.substring(close + 1).strip();
      } else {
        name = trimmed.substring(0, space);
        rest = trimmed.substring(space + 1).strip();
      }
      String value = rest.split(" ")[0];
      samples.add(new Sample(name, labels, parseValue(value)));
    }
    return new PrometheusPage(samples, text);
  }

  private static double parseValue(String value) {
    return switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(value);
    };
  }

  /** The samples named {@code name} whose labels include {@code labels} (name, value, name, value, ...). */
  public List<Sample> samples(String name, String... labels) {
    if (labels.length % 2 != 0) {
      throw new IllegalArgumentException("labels come in pairs of name and value: " + List.of(labels));
    }
    return samples.stream().filter(s -> s.name().equals(name)).filter(s -> {
      for (int i = 0; i < labels.length; i += 2) {
        if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
          return false;
        }
      }
      return true;
    }).toList();
  }

  public boolean has(String name, String... labels) {
    return !samples(name, labels).isEmpty();
  }

  /** The sum of the matching samples; fails, showing the page's names, when none matches. */
  public double value(String name, String... labels) {
    List<Sample> matching = samples(name, labels);
    if (matching.isEmpty()) {
      throw new AssertionError("no sample " + name + " with labels " + List.of(labels) + " on the page; it has "
          + samples.stream().filter(s -> s.name().startsWith("kos_")).map(s -> s.name() + s.labels()).distinct()
              .toList());
    }
    return matching.stream().mapToDouble(Sample::value).sum();
  }

  /** The page as served. */
  public String text() {
    return text;
  }
}
