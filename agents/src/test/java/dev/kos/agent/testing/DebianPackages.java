package dev.kos.agent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Debian packages a test needs, made present: a command that is missing is installed with {@code apt-get}
 * when the tests run as root (as they do in CI), and otherwise the test fails with the exact line to run. A test
 * that needs a package never skips.
 */
public final class DebianPackages {

  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private DebianPackages() {
  }

  /**
   * Makes sure each command (key) is installed, from its package (value).
   *
   * @return the path of each command
   */
  public static synchronized Map<String, Path> ensure(Map<String, String> commandsToPackages) {
    List<String> missing = new ArrayList<>();
    commandsToPackages.forEach((command, pkg) -> {
      if (find(command) == null && !missing.contains(pkg)) {
        missing.add(pkg);
      }
    });
    if (!missing.isEmpty()) {
      install(missing);
    }
    Map<String, Path> found = new LinkedHashMap<>();
    for (String command : commandsToPackages.keySet()) {
      Path path = find(command);
      if (path == null) {
        throw new AssertionError(command + " is still missing after installing " + missing);
      }
      found.put(command, path);
    }
    return found;
  }

  private static void install(List<String> packages) {
    String line = "apt-get install -y --no-install-recommends " + String.join(" ", packages);
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new AssertionError("these tests need the Debian packages " + packages + "; install them as root with:\n  "
          + line);
    }
    List<String> command = new ArrayList<>(List.of("apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y",
        "--no-install-recommends"));
    command.addAll(packages);
    try {
      Process apt = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(apt.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!apt.waitFor(10, TimeUnit.MINUTES) || apt.exitValue() != 0) {
        throw new AssertionError("could not install " + packages + " (" + line + "):\n" + tail(output));
      }
      System.out.println("installed the Debian packages " + packages + " the tests need");
    } catch (IOException e) {
      throw new AssertionError("could not run " + line + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted installing " + packages, e);
    }
  }

  private static Path find(String command) {
    for (String dir : PATH.split(":")) {
      Path candidate = Path.of(dir, command);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static String tail(String output) {
    List<String> lines = output.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }
}
