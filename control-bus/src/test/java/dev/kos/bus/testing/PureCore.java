package dev.kos.bus.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The architecture rule every decision core keeps (STYLE.md, example 1): it decides, the shell
 * talks to Kafka and maps Avro records. A core's sources must not even mention them.
 */
public final class PureCore {

  private static final List<String> FORBIDDEN = List.of("org.apache.kafka", "org.apache.avro", "dev.kos.schema");

  private PureCore() {
  }

  /** Every line of the core's sources that names Kafka, Avro or the bus schemas, as "File.java: line". */
  public static List<String> busReferencesIn(Path coreSources) {
    if (!Files.isDirectory(coreSources)) {
      throw new IllegalArgumentException(coreSources + " is not a directory: the rule would check nothing");
    }
    try (Stream<Path> files = Files.walk(coreSources)) {
      return files.filter(file -> file.toString().endsWith(".java"))
          .flatMap(file -> lines(file).stream()
              .filter(line -> FORBIDDEN.stream().anyMatch(line::contains))
              .map(line -> file.getFileName() + ": " + line.trim()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
