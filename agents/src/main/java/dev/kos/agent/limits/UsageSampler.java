package dev.kos.agent.limits;

import dev.kos.agent.process.ProcessTree;
import dev.kos.agent.model.TaskRef;
import dev.kos.agent.model.TaskUsage;
import java.time.Clock;
import java.time.Duration;

/**
 * CPU time and RSS of a task's live process tree. CPU time of children that already exited is
 * not included: the kernel only adds it to a parent's cutime once the parent reaps them.
 */
public final class UsageSampler {
  private final Clock clock;

  public UsageSampler(Clock clock) {
    this.clock = clock;
  }

  public TaskUsage sample(TaskRef task, ProcessHandle wrapper) {
    Duration cpu = Duration.ZERO;
    long rss = 0;
    int processes = 0;
    for (ProcessHandle process : ProcessTree.of(wrapper)) {
      if (!process.isAlive()) {
        continue;
      }
      cpu = cpu.plus(process.info().totalCpuDuration().orElse(Duration.ZERO));
      rss += ProcFs.rssBytes(process.pid()).orElse(0);
      processes++;
    }
    return new TaskUsage(task, cpu, rss, processes, clock.instant());
  }
}
