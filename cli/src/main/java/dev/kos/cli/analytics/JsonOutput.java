package dev.kos.cli.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.OptionalInt;

/** {@code --json} of the analytics commands: one pretty-printed document of maps and lists. */
final class JsonOutput {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonOutput() {}

  static void print(PrintWriter out, Object document) {
    try {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
  }

  /** A latency percentile as JSON: a number of ms, or null without requests. */
  static Integer orNull(OptionalInt value) {
    return value.isPresent() ? value.getAsInt() : null;
  }

  /** A latency percentile on the terminal: {@code 12}, or {@code -} without requests. */
  static String orDash(OptionalInt value) {
    return value.isPresent() ? Integer.toString(value.getAsInt()) : "-";
  }
}
