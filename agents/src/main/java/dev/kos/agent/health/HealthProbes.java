package dev.kos.agent.health;

import dev.kos.agent.model.HealthCheckSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The probe a health check spec asks for; HTTP and TCP probe the task's assigned port on localhost. */
public final class HealthProbes {
  private static final String TASK_HOST = "127.0.0.1";

  private HealthProbes() {
  }

  /**
   * @param runner what a COMMAND check's shell runs under: nothing for a process task, {@code runc exec <id>} for
   *     a container task
   */
  public static HealthProbe of(HealthCheckSpec spec, List<Integer> ports, Path sandbox, Map<String, String> env,
      List<String> runner) {
    return switch (spec.protocol()) {
      case COMMAND -> new CommandProbe(runner, spec.command(), sandbox, env);
      case HTTP -> new HttpProbe(TASK_HOST, ports.get(spec.portIndex()), spec.path() == null ? "/" : spec.path());
      case TCP -> new TcpProbe(TASK_HOST, ports.get(spec.portIndex()));
    };
  }
}
