package dev.kos.agent.container;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code runc events} beside a container, for as long as the process whose exit is the container's lives: it
 * reports the kernel's OOM kills, which is how an exit by SIGKILL is told apart from a kill kos asked for. Started
 * with the container, and again by an agent that recovered the container after a restart (the watch of the agent
 * that stopped went with it).
 */
public final class OomWatch {

  private static final Logger log = LoggerFactory.getLogger(OomWatch.class);
  /** How long {@code runc events} may wait for the container to exist (runc creates it in tens of ms). */
  private static final Duration EVENTS_START = Duration.ofSeconds(10);
  /** How long an OOM event may take through runc events' pipe once the container ended. */
  private static final Duration EVENT_DELIVERY = Duration.ofSeconds(2);

  private final RuncContainer.Runc runc;
  private final String id;
  private final ProcessHandle runner;
  private final AtomicBoolean oomKilled = new AtomicBoolean();
  private final Thread thread;
  private volatile Process events;

  private OomWatch(RuncContainer.Runc runc, String id, ProcessHandle runner) {
    this.runc = runc;
    this.id = id;
    this.runner = runner;
    this.thread = new Thread(this::watch, "runc-events-" + id);
    this.thread.setDaemon(true);
  }

  /** Watches container {@code id} while {@code runner} (its {@code runc run}, or the wrapper around it) lives. */
  static OomWatch start(RuncContainer.Runc runc, String id, ProcessHandle runner) {
    OomWatch watch = new OomWatch(runc, id, runner);
    watch.thread.start();
    return watch;
  }

  /** Whether the kernel OOM-killed the container; once it ended, waits a moment for the event still on its way. */
  public boolean oomKilled() throws InterruptedException {
    if (!runner.isAlive()) {
      thread.join(EVENT_DELIVERY.toMillis());
    }
    return oomKilled.get();
  }

  /** Stops {@code runc events}: it would otherwise live until its next write finds no reader. */
  public void close() {
    Process watcher = events;
    if (watcher != null) {
      watcher.destroyForcibly();
    }
  }

  private void watch() {
    long deadline = System.nanoTime() + EVENTS_START.toNanos();
    try {
      while (runner.isAlive() && !runc.exists(id)) {
        if (System.nanoTime() > deadline) {
          log.warn("container {} did not appear within {}: no OOM reports for it", id, EVENTS_START);
          return;
        }
        Thread.sleep(20);
      }
      if (!runner.isAlive()) {
        return;
      }
      Process watcher = new ProcessBuilder(runc.command("events", id)).redirectErrorStream(true).start();
      events = watcher;
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(watcher.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (line.contains("\"type\":\"oom\"")) {
            oomKilled.set(true);
          }
        }
      }
    } catch (IOException e) {
      log.warn("watching container {}'s events failed: {}", id, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
