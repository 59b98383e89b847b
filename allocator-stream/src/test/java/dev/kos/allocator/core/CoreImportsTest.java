package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The core stays pure: it decides, the shell talks to Kafka and maps Avro records (STYLE.md, example 1). */
class CoreImportsTest {

  private static final Path CORE_SOURCES = Path.of("src/main/java/dev/kos/allocator/core");
  private static final List<String> FORBIDDEN = List.of(
      "import org.apache.kafka", "import org.apache.avro", "import dev.kos.schema");

  @Test
  void shouldNotImportKafkaAvroOrBusSchemas() throws IOException {
    List<String> offending;
    try (Stream<Path> files = Files.walk(CORE_SOURCES)) {
      offending = files.filter(file -> file.toString().endsWith(".java"))
          .flatMap(file -> lines(file).stream()
              .filter(line -> FORBIDDEN.stream().anyMatch(line.trim()::startsWith))
              .map(line -> file.getFileName() + ": " + line.trim()))
          .toList();
    }

    assertThat(Files.isDirectory(CORE_SOURCES)).isTrue();
    assertThat(offending).isEmpty();
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
