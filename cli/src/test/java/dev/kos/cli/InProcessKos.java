package dev.kos.cli;

import dev.kos.bus.testing.TestBus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs `kos` command lines in the test's JVM as a user in another shell would, the environment naming a test bus. */
public final class InProcessKos {

  private final Map<String, String> env;

  private InProcessKos(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** A user whose environment names the test bus and principal {@code alice}. */
  public static InProcessKos on(TestBus bus, Path home) {
    return new InProcessKos(Map.of(
        "KOS_HOME", home.toString(),
        "KOS_BOOTSTRAP_SERVER", bus.bus().settings().bootstrapServers(),
        "KOS_SCHEMA_REGISTRY", bus.registryUrl(),
        "KOS_TOPIC_PREFIX", bus.bus().catalog().prefix(),
        "KOS_PARTITIONS", Integer.toString(bus.bus().catalog().partitions()),
        "KOS_PRINCIPAL", "alice"));
  }

  public Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs with the caller's writers, so a test can read the output of a command that is still running. */
  public int run(StringWriter out, StringWriter err, String... args) {
    return Kos.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  /** A finished command line's exit code and output. */
  public record Result(int exitCode, String out, String err) {

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
  }
}
