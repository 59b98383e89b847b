package dev.kos.analytics.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Holds a Spark application in the middle of its work until a test lets it go, so that the test acts while tasks
 * are running without guessing how long they take (SparkOnKosIT kills an executor's agent there). Every task, before
 * it runs, writes {@code task-started-<executor id>} into the directory {@value #GATE_CONF} names, then waits until
 * that directory holds {@value #OPEN}. Enabled with {@code spark.plugins}; test code only, never in the job's jar.
 */
public final class TaskGatePlugin implements SparkPlugin {

  public static final String GATE_CONF = "spark.kos.test.gate";
  public static final String OPEN = "open";
  public static final String STARTED = "task-started-";

  @Override
  public DriverPlugin driverPlugin() {
    return null; // the driver needs nothing: Spark skips a plugin side that is null
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      private Path gate;
      private String executorId;

      @Override
      public void init(PluginContext context, Map<String, String> extraConf) {
        gate = Path.of(context.conf().get(GATE_CONF));
        executorId = context.executorID();
      }

      @Override
      public void onTaskStart() {
        try {
          Files.writeString(gate.resolve(STARTED + executorId), "");
          while (!Files.exists(gate.resolve(OPEN))) {
            Thread.sleep(100);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // the task was killed: let Spark end it
        }
      }
    };
  }
}
