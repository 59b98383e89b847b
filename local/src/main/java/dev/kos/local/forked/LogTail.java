package dev.kos.local.forked;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a log file, for error messages that must show why a forked node failed. */
public final class LogTail {

  private LogTail() {}

  public static String lastLines(Path file, int count) {
    if (!Files.isRegularFile(file)) {
      return "(no " + file + ")";
    }
    try {
      // Logs of a failed start are small; reading whole is simpler than seeking.
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      List<String> tail = lines.subList(Math.max(0, lines.size() - count), lines.size());
      return "--- last " + tail.size() + " lines of " + file + " ---\n" + String.join("\n", tail);
    } catch (IOException e) {
      return "(could not read " + file + ": " + e.getMessage() + ")";
    }
  }
}
