package dev.kos.lb.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which app each of the balancer's own ports serves. The apps framework rejects a second app asking for a
 * port, but a balancer must not trust that (records from an older framework, a shared port): the app that
 * holds a port keeps it, a newcomer asking for a held port or a port the balancer reserves for itself gets
 * none and a reason. Pure.
 */
public final class ListenPlan {

  private ListenPlan() {
  }

  /** The ports and the apps they serve, and the apps that could not have theirs. */
  public record Result(Map<Integer, String> appByPort, List<String> conflicts) {

    public Result {
      appByPort = Map.copyOf(appByPort);
      conflicts = List.copyOf(conflicts);
    }
  }

  /**
   * @param held the ports as they are now (port to app id)
   * @param wanted each app's wish (app id to port), for every app with endpoints and a service port
   * @param reserved ports the balancer uses itself (its path-prefix listener)
   */
  public static Result plan(Map<Integer, String> held, Map<String, Integer> wanted, Set<Integer> reserved) {
    Map<Integer, String> next = new TreeMap<>();
    List<String> conflicts = new ArrayList<>();
    // Holders first, so a port does not move from the app that has it to one that asked later.
    held.forEach((port, appId) -> {
      if (port.equals(wanted.get(appId))) {
        next.put(port, appId);
      }
    });
    new TreeMap<>(wanted).forEach((appId, port) -> {
      if (appId.equals(next.get(port))) {
        return;
      }
      if (reserved.contains(port)) {
        conflicts.add(appId + " asks for port " + port + ", which this balancer serves path routes on");
      } else if (next.containsKey(port)) {
        conflicts.add(appId + " asks for port " + port + ", which " + next.get(port) + " holds");
      } else {
        next.put(port, appId);
      }
    });
    return new Result(next, conflicts);
  }
}
