package dev.kos.agent.lifecycle;

import java.util.List;

/** The result of one event: the next lifecycle and what the shell must do, in order. */
public record Transition(TaskLifecycle next, List<SideEffect> effects) {
  public Transition {
    effects = List.copyOf(effects);
  }
}
