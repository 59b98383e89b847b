package dev.kos.bench.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResultsWriterTest {

  private static final Instant STARTED = Instant.parse("2026-11-25T06:01:02Z");

  @TempDir
  Path dir;

  private static BenchResult result() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("agents", 1000);
    settings.put("rate", "0 | all at once");
    List<Figure> figures = Figure.medians(List.of(
        List.of(Figure.of("tasks/s", 900, "tasks/s").withGoal(">= 10,000"), Figure.of("p99", 30, "ms")),
        List.of(Figure.of("tasks/s", 1100, "tasks/s").withGoal(">= 10,000"), Figure.of("p99", 20, "ms")),
        List.of(Figure.of("tasks/s", 1000, "tasks/s").withGoal(">= 10,000"), Figure.of("p99", 90, "ms"))));
    return new BenchResult("placement", STARTED, new Machine(2, 24L << 30, "Linux", "OpenJDK 17", 3.5),
        Map.of("kos", "0.1.0"), settings, figures, List.of("the machine was busy"));
  }

  @Test
  void shouldWriteMarkdownAndJsonNamedAfterTheBenchmarkAndItsStart() throws Exception {
    List<Path> files = new ResultsWriter(dir.resolve("results")).write(result());

    assertThat(files).extracting(path -> path.getFileName().toString())
        .containsExactly("placement-20261125-060102.md", "placement-20261125-060102.json");
    String markdown = Files.readString(files.get(0));
    assertThat(markdown)
        .contains("| agents | 1000 |")
        .contains("| rate | 0 \\| all at once |")
        .contains("| tasks/s | 1,000 | tasks/s | >= 10,000 | 900 / 1,100 / 1,000 |")
        .contains("| p99 | 30 | ms |  | 30 / 20 / 90 |")
        .contains("2 cores, 24.0 GiB")
        .contains("- the machine was busy");
    JsonNode json = new ObjectMapper().readTree(files.get(1).toFile());
    assertThat(json.get("settings").get("agents").asInt()).isEqualTo(1000);
    assertThat(json.get("machine").get("cores").asInt()).isEqualTo(2);
    assertThat(json.get("figures").get(0).get("value").asDouble()).isEqualTo(1000);
    assertThat(json.get("figures").get(0).get("goal").asText()).isEqualTo(">= 10,000");
    assertThat(json.get("figures").get(1).get("runs")).hasSize(3);
    assertThat(json.get("versions").get("kos").asText()).isEqualTo("0.1.0");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = ';', value = {
      "12345; 12,345",
      "0; 0",
      "12.345; 12.3",
      "0.0421; 0.0421",
      "1234.56; 1,235"})
  void shouldPrintNumbersForPeople(double value, String printed) {
    assertThat(ResultsWriter.number(value)).isEqualTo(printed);
  }

  @ParameterizedTest(name = "median of {0} is {1}")
  @CsvSource(delimiter = ';', value = {"5; 5", "3,1,2; 2", "4,1,3,2; 2.5"})
  void shouldTakeTheMiddleValue(String values, double median) {
    List<Double> numbers = Arrays.stream(values.split(",")).map(Double::valueOf).toList();
    assertThat(Figure.median(numbers)).isEqualTo(median);
  }
}
