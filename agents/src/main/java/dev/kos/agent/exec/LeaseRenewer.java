package dev.kos.agent.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the agent's {@link TaskLease} file from a thread of its own, so that nothing else the
 * agent does can delay it: not the bus outbox, which blocks for as long as the bus is out (a bus
 * outage must never kill tasks), nor the task schedulers. It stops only with the agent process
 * (or {@link #close}); then the tasks' wrappers see the lease lapse.
 */
public final class LeaseRenewer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaseRenewer.class);

  private final Path file;
  private final ScheduledExecutorService thread;
  private boolean failing;

  private LeaseRenewer(Path file, ScheduledExecutorService thread) {
    this.file = file;
    this.thread = thread;
  }

  /** Renews {@code file} now (before any task is recovered or launched), then every renew interval. */
  public static LeaseRenewer start(String agentId, Path file, TaskLease lease) {
    LeaseRenewer renewer = new LeaseRenewer(file, Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "kos-agent-" + agentId + "-lease");
      thread.setDaemon(true);
      thread.setPriority(Thread.MAX_PRIORITY);
      return thread;
    }));
    renewer.renew();
    long millis = lease.renewInterval().toMillis();
    renewer.thread.scheduleAtFixedRate(renewer::renew, millis, millis, TimeUnit.MILLISECONDS);
    return renewer;
  }

  /** Touches the lease file; creates it if it is gone. Never throws: a lost renewal is logged once. */
  synchronized void renew() {
    try {
      FileTime now = FileTime.fromMillis(System.currentTimeMillis());
      try {
        Files.setLastModifiedTime(file, now);
      } catch (NoSuchFileException gone) {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[0]);
        Files.setLastModifiedTime(file, now);
      }
      if (failing) {
        log.info("the task lease {} is renewed again", file);
        failing = false;
      }
    } catch (IOException | RuntimeException e) {
      if (!failing) {
        log.error("cannot renew the task lease {}: the agent's tasks kill themselves if this lasts longer than "
            + "the lease", file, e);
        failing = true;
      }
    }
  }

  /** Stops renewing: the agent's tasks end once the lease lapses, unless an agent takes it over. */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
