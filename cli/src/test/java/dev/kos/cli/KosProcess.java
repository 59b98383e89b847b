package dev.kos.cli;

import dev.kos.bus.testing.LeanTestJvm;
import dev.kos.bus.testing.TestBus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A `kos` command run as a process of its own, as an operator would, so a test can kill -9 it.
 * Public, in cli's test-jar, for the chaos module.
 */
public final class KosProcess {

  private KosProcess() {
  }

  /**
   * Starts `kos ARGS...` with its output in {@code dir/NAME.log} and waits until it prints {@code ready}; kills it
   * if it never does.
   */
  public static Process start(Path dir, String name, String ready, List<String> args) throws IOException {
    return start(dir, name, ready, args, TestBus.DEADLINE);
  }

  /**
   * As above, waiting up to {@code patience} for {@code ready}: on a loaded host a kos JVM against a bus of several
   * brokers may need more than a minute to come up.
   */
  public static Process start(Path dir, String name, String ready, List<String> args, Duration patience)
      throws IOException {
    Path log = log(dir, name);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(LeanTestJvm.OPTIONS);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Kos.class.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("KOS_HOME", dir.resolve("home").toString());
    Process process = builder.start();
    try {
      long deadline = System.nanoTime() + patience.toNanos();
      while (!output(dir, name).contains(ready)) {
        if (!process.isAlive()) {
          throw new AssertionError(name + " exited:\n" + output(dir, name));
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("timed out after " + patience + " waiting for " + name + " printing '" + ready
              + "'");
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + name, e);
    } catch (RuntimeException | Error e) {
      // Nobody else holds the process yet: left running, it would outlive the test.
      process.destroyForcibly();
      throw e;
    }
    return process;
  }

  /** The bus options that point a `kos` process at a test bus. */
  public static List<String> busOptions(TestBus bus) {
    return List.of("--bootstrap-server", bus.bus().settings().bootstrapServers(),
        "--schema-registry", bus.registryUrl(),
        "--topic-prefix", bus.bus().catalog().prefix(),
        "--partitions", Integer.toString(bus.bus().catalog().partitions()));
  }

  public static String output(Path dir, String name) {
    Path log = log(dir, name);
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path log(Path dir, String name) {
    return dir.resolve(name + ".log");
  }
}
