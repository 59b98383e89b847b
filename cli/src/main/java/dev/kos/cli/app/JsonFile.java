package dev.kos.cli.app;

import dev.kos.bus.json.JsonAvroException;
import dev.kos.bus.json.JsonToAvro;
import dev.kos.cli.common.UsageProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.avro.specific.SpecificRecord;

/** A record a person wrote as JSON in a file ({@code -} for standard input), checked against its Avro schema. */
public final class JsonFile {

  private JsonFile() {
  }

  /**
   * Reads and validates the file.
   *
   * @throws UsageProblem if the file is missing or the JSON does not fit the schema; the message names each field
   */
  public static <T extends SpecificRecord> T read(String file, Class<T> type) {
    try {
      return JsonToAvro.toSpecificRecord(text(file), type);
    } catch (JsonAvroException e) {
      throw new UsageProblem((file.equals("-") ? "standard input" : file) + " is not a valid "
          + type.getSimpleName() + ", nothing was sent:\n" + e.getMessage());
    }
  }

  /**
   * A scaling policy from FILE, or none with {@code --clear}: {@code kos app policy} and {@code kos kafka policy}.
   *
   * @return null to clear the policy
   * @throws UsageProblem if both or neither are given, or the file is not a valid ScalingPolicy
   */
  public static dev.kos.schema.ScalingPolicy policyOrClear(String file, boolean clear) {
    if (clear == (file != null)) {
      throw new UsageProblem("give either a policy FILE or --clear, not " + (clear ? "both" : "neither"));
    }
    return clear ? null : read(file, dev.kos.schema.ScalingPolicy.class);
  }

  private static String text(String file) {
    try {
      return file.equals("-")
          ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
          : Files.readString(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new UsageProblem("no such file: " + file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
