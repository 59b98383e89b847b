package dev.kos.agent.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cgroup filesystem work both hierarchies share: read a cgroup's members, and kill them all
 * while it is frozen, so that no member can fork a new one between the read and the signal.
 */
final class CgroupFiles {
  private static final Logger log = LoggerFactory.getLogger(CgroupFiles.class);
  static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration FREEZE_TIMEOUT = Duration.ofMillis(500);
  private static final long POLL_MILLIS = 10;

  /** How a hierarchy freezes a cgroup: v1's freezer.state, v2's cgroup.freeze. */
  interface Freezer {
    void freeze(Path cgroup) throws IOException;

    boolean frozen(Path cgroup) throws IOException;

    void thaw(Path cgroup) throws IOException;
  }

  private CgroupFiles() {
  }

  /** The pids in cgroup.procs; none when the cgroup does not exist. */
  static List<Long> pids(Path cgroup) {
    try {
      return Files.readAllLines(cgroup.resolve("cgroup.procs")).stream()
          .map(String::trim).filter(line -> !line.isEmpty()).map(Long::parseLong).toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      log.warn("cannot read the members of cgroup {}: {}", cgroup, e.toString());
      return List.of();
    }
  }

  /**
   * Freeze, SIGKILL every member, thaw (a frozen process dies once thawed), until the cgroup is
   * empty or the timeout passed; returns whether it is empty.
   */
  static boolean killAll(Path cgroup, Freezer freezer) {
    long deadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
    for (List<Long> members = pids(cgroup); !members.isEmpty(); members = pids(cgroup)) {
      if (System.nanoTime() > deadline) {
        log.error("cgroup {} still holds {} after {}", cgroup, members, KILL_TIMEOUT);
        return false;
      }
      try {
        freezer.freeze(cgroup);
        awaitFrozen(cgroup, freezer);
        pids(cgroup).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        freezer.thaw(cgroup);
      } catch (IOException e) {
        // Not frozen: kill what is there anyway; the loop catches what forked meanwhile.
        log.warn("cannot freeze cgroup {}: {}", cgroup, e.toString());
        members.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      }
      pause();
    }
    return true;
  }

  /** Waits until every member reached the empty cgroup's state, or the timeout passed. */
  static boolean awaitEmpty(Path cgroup) {
    long deadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
    while (!pids(cgroup).isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      pause();
    }
    return true;
  }

  /** SIGTERM to every member but {@code spared}. */
  static void terminate(Path cgroup, long spared) {
    pids(cgroup).stream().filter(pid -> pid != spared)
        .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
  }

  /** rmdir of an emptied cgroup; one that does not exist is fine. */
  static void remove(Path cgroup) {
    try {
      Files.deleteIfExists(cgroup);
    } catch (IOException e) {
      log.warn("cannot remove cgroup {} (members: {}): {}", cgroup, pids(cgroup), e.toString());
    }
  }

  private static void awaitFrozen(Path cgroup, Freezer freezer) throws IOException {
    // A member in uninterruptible sleep can hold the freeze off; kill what we see after a while anyway.
    long deadline = System.nanoTime() + FREEZE_TIMEOUT.toNanos();
    while (!freezer.frozen(cgroup) && System.nanoTime() < deadline) {
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
