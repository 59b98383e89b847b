package dev.kos.allocator.core;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Fences the accepts of a framework instance that another instance has replaced. Each instance registers one epoch
 * above the last registration it read (decision 0012); an accept carries its instance's epoch, and one below the
 * highest epoch seen for its framework comes from the replaced instance, which must not launch. The highest, not
 * the latest, counts: a replaced instance's last heartbeat may land after its successor's registration.
 */
public final class FrameworkEpochs {

  private final Map<String, Long> highest = new HashMap<>();

  /** A registration or heartbeat of {@code frameworkId} at {@code epoch}. */
  public void seen(String frameworkId, long epoch) {
    highest.merge(frameworkId, epoch, Math::max);
  }

  /** Why an accept of {@code frameworkId} at {@code epoch} is refused, if it is. */
  public Optional<String> fenced(String frameworkId, long epoch) {
    long newest = highest.getOrDefault(frameworkId, 0L);
    return epoch >= newest ? Optional.empty() : Optional.of("framework " + frameworkId + " instance of epoch " + epoch
        + " was replaced by an instance of epoch " + newest + "; its accepts are refused");
  }

  public void removed(String frameworkId) {
    highest.remove(frameworkId);
  }
}
