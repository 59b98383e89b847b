package dev.kos.bench.allocator;

import dev.kos.allocator.core.AgentSpec;
import dev.kos.allocator.core.Allocator;
import dev.kos.allocator.core.AllocatorConfig;
import dev.kos.allocator.core.FrameworkSpec;
import dev.kos.model.Ports;
import dev.kos.model.Resources;
import dev.kos.allocator.core.RoleConfig;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;

/** The cluster every allocator benchmark runs on: identical agents, frameworks spread over weighted roles. */
final class AllocatorFixtures {

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Resources AGENT = Resources.of(32, 128 * 1024).withPorts(Ports.range(31_000, 32_000));
  private static final double[] TASK_CPUS = {0.5, 1, 2, 4};
  private static final long TASK_SIZE_SEED = 42;

  private AllocatorFixtures() {
  }

  /** Agents of 32 cpus and 128 GiB; roles {@code role0..} weighted 1, 2, ...; frameworks dealt round-robin. */
  static Allocator cluster(int agents, int frameworks, int roles) {
    Allocator allocator = new Allocator(AllocatorConfig.defaults());
    for (int r = 0; r < roles; r++) {
      allocator.roleConfigured(RoleConfig.defaults(role(r)).withWeight(r + 1));
    }
    for (int f = 0; f < frameworks; f++) {
      allocator.frameworkUpdated(FrameworkSpec.of("framework" + f, role(f % roles)));
    }
    for (int a = 0; a < agents; a++) {
      allocator.agentReported(new AgentSpec("agent" + a, "host" + a, AGENT, Map.of(), Map.of(), false));
    }
    return allocator;
  }

  /** Task sizes drawn with a fixed seed: cpus from {0.5, 1, 2, 4}, mem from 512 to 8192 MiB in 512 MiB steps. */
  static Resources[] taskSizes(int count) {
    SplittableRandom random = new SplittableRandom(TASK_SIZE_SEED);
    Resources[] sizes = new Resources[count];
    for (int i = 0; i < count; i++) {
      sizes[i] = Resources.of(TASK_CPUS[random.nextInt(TASK_CPUS.length)], 512.0 * (1 + random.nextInt(16)));
    }
    return sizes;
  }

  private static String role(int index) {
    return "role" + index;
  }
}
