package dev.kos.bench.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes a run as {@code <name>-<yyyyMMdd-HHmmss>.md} (tables a person reads) and {@code .json} (the same
 * facts for a script) under the results directory, {@code bench/results} unless the system property
 * {@value #DIRECTORY_PROPERTY} names another.
 */
public final class ResultsWriter {
  public static final String DIRECTORY_PROPERTY = "kos.bench.results";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path directory;

  public ResultsWriter(Path directory) {
    this.directory = directory;
  }

  public static ResultsWriter fromSystemProperty() {
    return new ResultsWriter(Path.of(System.getProperty(DIRECTORY_PROPERTY, "bench/results")));
  }

  /** Writes both files and returns their paths, Markdown first. */
  public List<Path> write(BenchResult result) throws IOException {
    Files.createDirectories(directory);
    String base = result.name() + "-" + STAMP.format(result.startedAt());
    Path markdown = directory.resolve(base + ".md");
    Path json = directory.resolve(base + ".json");
    Files.writeString(markdown, markdown(result));
    Files.writeString(json, json(result) + System.lineSeparator());
    return List.of(markdown, json);
  }

  static String markdown(BenchResult result) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(result.name()).append(" — ").append(result.startedAt()).append("\n\n");
    Machine machine = result.machine();
    md.append("Machine: ").append(machine.cores()).append(" cores, ")
        .append(String.format(Locale.ROOT, "%.1f GiB", machine.memoryBytes() / (double) (1L << 30))).append(", ")
        .append(machine.os()).append(", ").append(machine.java())
        .append(String.format(Locale.ROOT, ", load average %.2f at start.", machine.loadAverage())).append('\n');
    md.append("Versions: ");
    result.versions().forEach((what, version) -> md.append(what).append(' ').append(version).append("; "));
    md.setLength(md.length() - 2);
    md.append(".\n\n| setting | value |\n|---|---|\n");
    result.settings().forEach((name, value) -> md.append("| ").append(cell(name)).append(" | ")
        .append(cell(String.valueOf(value))).append(" |\n"));
    md.append("\n| figure | value | unit | goal | runs |\n|---|---:|---|---|---|\n");
    for (Figure figure : result.figures()) {
      md.append("| ").append(cell(figure.name())).append(" | ").append(number(figure.value())).append(" | ")
          .append(cell(figure.unit())).append(" | ").append(figure.goal() == null ? "" : cell(figure.goal()))
          .append(" | ").append(figure.runs().size() < 2 ? ""
              : figure.runs().stream().map(ResultsWriter::number).collect(Collectors.joining(" / ")))
          .append(" |\n");
    }
    if (!result.notes().isEmpty()) {
      md.append('\n');
      result.notes().forEach(note -> md.append("- ").append(note).append('\n'));
    }
    return md.toString();
  }

  static String json(BenchResult result) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("name", result.name());
    root.put("startedAt", result.startedAt().toString());
    root.set("machine", JSON.valueToTree(result.machine()));
    root.set("versions", JSON.valueToTree(result.versions()));
    ObjectNode settings = root.putObject("settings");
    result.settings().forEach((name, value) -> settings.set(name, JSON.valueToTree(value)));
    ArrayNode figures = root.putArray("figures");
    for (Figure figure : result.figures()) {
      ObjectNode node = figures.addObject();
      node.put("name", figure.name());
      node.put("value", figure.value());
      node.put("unit", figure.unit());
      if (figure.goal() != null) {
        node.put("goal", figure.goal());
      }
      ArrayNode runs = node.putArray("runs");
      figure.runs().forEach(runs::add);
    }
    root.set("notes", JSON.valueToTree(result.notes()));
    return JSON.writeValueAsString(root);
  }

  /** Whole numbers without decimals; others to three significant digits, or none from 100 up. */
  static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) value);
    }
    return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%.3g", value);
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
