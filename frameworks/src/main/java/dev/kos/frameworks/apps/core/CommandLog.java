package dev.kos.frameworks.apps.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The commands each app was answered on lately, oldest first, at most {@value #PER_APP} per app. Commands
 * are delivered at least once (a crash or a rebalance before the consumer commits replays them), so the
 * framework looks a command up here before it acts, and keeps these ids with the app's durable state:
 * a replay after a restart is answered as the first time and changes nothing. Only the latest commands of
 * an app are kept because a replay only reaches back to the group's last commit.
 */
public record CommandLog(Map<String, List<HandledCommand>> byApp) {

  public static final int PER_APP = 64;
  public static final CommandLog EMPTY = new CommandLog(Map.of());

  public CommandLog {
    Map<String, List<HandledCommand>> copy = new HashMap<>();
    byApp.forEach((appId, handled) -> copy.put(appId, List.copyOf(handled)));
    byApp = Map.copyOf(copy);
  }

  public Optional<HandledCommand> find(String commandId) {
    return byApp.values().stream().flatMap(List::stream).filter(h -> h.commandId().equals(commandId)).findFirst();
  }

  /** This log with {@code handled} as its app's newest command, dropping the app's oldest beyond the bound. */
  public CommandLog with(HandledCommand handled) {
    if (find(handled.commandId()).isPresent()) {
      return this;
    }
    List<HandledCommand> mine = new ArrayList<>(of(handled.appId()));
    mine.add(handled);
    Map<String, List<HandledCommand>> next = new HashMap<>(byApp);
    next.put(handled.appId(), mine.subList(Math.max(0, mine.size() - PER_APP), mine.size()));
    return new CommandLog(next);
  }

  public List<HandledCommand> of(String appId) {
    return byApp.getOrDefault(appId, List.of());
  }

  /** This log without {@code appId}'s commands (the app's record is gone). */
  public CommandLog without(String appId) {
    Map<String, List<HandledCommand>> next = new HashMap<>(byApp);
    next.remove(appId);
    return new CommandLog(next);
  }
}
