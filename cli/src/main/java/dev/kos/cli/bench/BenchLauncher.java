package dev.kos.cli.bench;

import dev.kos.cli.common.UsageProblem;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a benchmark main class in its own JVM on the bench module's build output, so that the kos
 * distribution never needs the bench module (DESIGN.md: bench is not needed at run time).
 */
final class BenchLauncher {
  static final String BUILD_HINT = "./mvnw -q -B -DskipTests -pl bench -am package";

  private BenchLauncher() {
  }

  /**
   * The repository's {@code bench} directory: the first ancestor of {@code start} (the kos jar or
   * its classes directory) that holds {@code bench/pom.xml}.
   */
  static Optional<Path> findBenchDir(Path start) {
    for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("bench").resolve("pom.xml"))) {
        return Optional.of(dir.resolve("bench"));
      }
    }
    return Optional.empty();
  }

  /**
   * The command line of the forked JVM: java, the results directory, the JVM options (after it, so
   * that {@code -Dkos.bench.results=DIR} among them wins), the bench classpath, the main class.
   */
  static List<String> commandLine(Path java, List<String> javaOptions, Path benchDir, String mainClass,
      List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-Dkos.bench.results=" + benchDir.resolve("results"));
    command.addAll(javaOptions);
    command.add("-cp");
    command.add(benchDir.resolve("target").resolve("classes") + File.pathSeparator
        + benchDir.resolve("target").resolve("lib") + File.separator + "*");
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /** Forks the benchmark with this terminal as its input and output and returns its exit code. */
  static int run(Path benchDir, List<String> javaOptions, String mainClass, List<String> args)
      throws IOException, InterruptedException {
    if (!Files.isDirectory(benchDir.resolve("target").resolve("lib"))) {
      throw new UsageProblem("the benchmarks are not built in " + benchDir + ": run `" + BUILD_HINT + "` in "
          + benchDir.getParent() + " (or bin/kos-bench once), then try again");
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(commandLine(java, javaOptions, benchDir, mainClass, args))
        .directory(benchDir.getParent().toFile()).inheritIO().start();
    try {
      return process.waitFor();
    } finally {
      process.destroy();
    }
  }
}
