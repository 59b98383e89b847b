package dev.kos.agent.exec;

import dev.kos.agent.checkpoint.CheckpointStore;
import dev.kos.agent.container.ContainerRuntime;
import dev.kos.agent.fetch.ArtifactFetcher;
import dev.kos.agent.limits.Limits;
import dev.kos.agent.limits.UsageSampler;
import dev.kos.agent.outbound.LogSink;
import dev.kos.agent.outbound.StatusSink;
import dev.kos.agent.resources.ResourceLedger;
import dev.kos.agent.volumes.VolumeStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every task supervisor shares. {@code stopped} is set when the agent closes: from then on
 * supervisors act on nothing, as if the agent had died, so that a restarted agent finds what a
 * crash would have left. {@code leaseFile} and {@code taskLease}: what each launched task's wrapper
 * watches (see {@link TaskLease}). {@code containers}: how container tasks run here; empty where they cannot. {@code fetcher}: puts tasks'
 * artifacts into their sandboxes. {@code taskUsers}: which host user each task runs as. {@code classpath}: the
 * agent's own classpath as tasks run as other users can read it ({@value ClasspathMirror#ENV}).
 */
public record AgentContext(
    String agentId,
    Path sandboxRoot,
    Clock clock,
    ScheduledExecutorService scheduler,
    StatusSink statuses,
    LogSink logs,
    ResourceLedger ledger,
    VolumeStore volumes,
    CheckpointStore checkpoints,
    Limits limits,
    UsageSampler usage,
    Map<String, String> agentEnv,
    int stderrTailLines,
    AtomicBoolean stopped,
    Path leaseFile,
    TaskLease taskLease,
    Optional<ContainerRuntime> containers,
    ArtifactFetcher fetcher,
    TaskUsers taskUsers,
    ClasspathMirror classpath) {
}
