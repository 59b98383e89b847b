package dev.kos.lb.core;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Routes by path on the shared listener: a request for {@code /team-a/web/index.html} goes to app
 * {@code /team-a/web} (the longest app id that is the path or a whole-segment prefix of it), and the app sees
 * {@code /index.html}. Pure.
 */
public final class PathRoutes {

  private PathRoutes() {
  }

  /** The app a path goes to and the path the app sees. */
  public record Match(String appId, String remainder) {
  }

  public static Optional<Match> match(String path, Collection<String> appIds) {
    return appIds.stream()
        .filter(id -> id.startsWith("/") && id.length() > 1)
        .filter(id -> path.equals(id) || path.startsWith(id.endsWith("/") ? id : id + "/"))
        .max(Comparator.comparingInt(String::length))
        .map(id -> new Match(id, path.length() == id.length() ? "/" : path.substring(id.length())));
  }
}
