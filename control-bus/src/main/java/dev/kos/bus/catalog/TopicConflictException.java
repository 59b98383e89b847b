package dev.kos.bus.catalog;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when existing topics differ from the catalogue; the message lists every difference. */
public final class TopicConflictException extends IllegalStateException {

  private final transient List<TopicConflict> conflicts;

  public TopicConflictException(List<TopicConflict> conflicts) {
    super("existing topics conflict with the kos topic catalogue:\n"
        + conflicts.stream().map(c -> "  - " + c).collect(Collectors.joining("\n"))
        + "\nAlter the topics to match (kafka-configs.sh / kafka-topics.sh), or use another"
        + " topic prefix (--topic-prefix) so kos creates its own.");
    this.conflicts = List.copyOf(conflicts);
  }

  public List<TopicConflict> conflicts() {
    return conflicts;
  }
}
