package dev.kos.allocator.stream;

import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.TestBus;
import dev.kos.schema.AgentReport;
import dev.kos.schema.Resources;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Agents that only report capacity and heartbeat: enough for tests of the allocator alone. */
public final class FakeAgents implements AutoCloseable {

  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

  public FakeAgents(TestBus bus, List<String> agentIds, double cpus, double mem) {
    Instant startedAt = Instant.now();
    heartbeats.scheduleAtFixedRate(() -> agentIds.forEach(id -> bus.publish(Topics.AGENTS, id,
        AgentReport.newBuilder().setAgentId(id).setHostname(id)
            .setTotal(Resources.newBuilder().setCpus(cpus).setMem(mem).build())
            .setUsed(Resources.newBuilder().build())
            .setHeartbeatTime(Instant.now()).setStartedAt(startedAt).build())), 0, 2, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
  }
}
