package dev.kos.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.AvroRuntimeException;

/** Loads a directory of .avsc files that reference each other, in whatever order they resolve. */
final class ReleasedSchemas {

  private ReleasedSchemas() {
  }

  /** Top-level schema of each file, by file name without the extension. */
  static Map<String, Schema> load(Path dir) {
    Deque<Path> pending;
    try (Stream<Path> files = Files.list(dir)) {
      pending = new ArrayDeque<>(files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Schema.Parser parser = new Schema.Parser();
    Map<String, Schema> loaded = new HashMap<>();
    int sinceProgress = 0;
    while (!pending.isEmpty()) {
      Path file = pending.removeFirst();
      try {
        loaded.put(file.getFileName().toString().replace(".avsc", ""), parser.parse(Files.readString(file)));
        sinceProgress = 0;
      } catch (AvroRuntimeException e) {
        // A reference to a type defined in a file not parsed yet: try again after the others.
        pending.addLast(file);
        if (++sinceProgress > pending.size()) {
          throw new IllegalStateException("cannot resolve " + List.copyOf(pending) + ": " + e.getMessage(), e);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return loaded;
  }
}
