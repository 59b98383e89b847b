package dev.kos.agent.process;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals for a task's whole process tree, so that a shell does not leave its children behind.
 * The tree is snapshotted before signalling: once the wrapper dies its children are re-parented
 * and no longer show up as its descendants; {@link #killGroup} catches those.
 */
public final class ProcessTree {
  private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);

  private ProcessTree() {
  }

  /** The wrapper and everything below it that is alive now. */
  public static List<ProcessHandle> of(ProcessHandle root) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    return tree;
  }

  /** SIGTERM to the task's processes but not the wrapper, which must live to record the exit code. */
  public static void terminate(ProcessHandle wrapper) {
    wrapper.descendants().toList().forEach(ProcessHandle::destroy);
  }

  /** SIGKILL to the whole tree, wrapper included. */
  public static void kill(ProcessHandle wrapper) {
    of(wrapper).forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * SIGKILL to every process left in the wrapper's process group (the wrapper leads one when it
   * was started under setsid), called right after the wrapper ended. Linux does not hand out a
   * pid that is still some group's id, so while our group has members no other group carries
   * the wrapper's pid; when it has none, only a brand-new group leader that took the pid in the
   * moments since the wrapper was reaped could be hit. The JDK cannot signal a group, hence kill(1).
   */
  public static void killGroup(long wrapperPid) {
    try {
      Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + wrapperPid)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!kill.waitFor(5, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
      }
    } catch (IOException e) {
      log.warn("cannot kill what is left of process group {}: {}", wrapperPid, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
