package dev.kos.analytics.store;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Cassandra contact points as users write them: {@code host:port,host:port}. */
public final class ContactPoints {

  public static final int DEFAULT_CQL_PORT = 9042;

  private ContactPoints() {}

  /** Parses {@code host[:port],...}; the port defaults to 9042. Unresolved: the driver resolves. */
  public static List<InetSocketAddress> parse(String text) {
    List<InetSocketAddress> points = new ArrayList<>();
    for (String item : text.split(",")) {
      String point = item.strip();
      if (point.isEmpty()) {
        continue;
      }
      points.add(parsePoint(point));
    }
    if (points.isEmpty()) {
      throw new IllegalArgumentException("no Cassandra contact point in '" + text + "' (expected host:port,...)");
    }
    return List.copyOf(points);
  }

  /** The inverse of {@link #parse}, as written into the cluster file. */
  public static String format(List<InetSocketAddress> points) {
    return String.join(",", points.stream().map(p -> p.getHostString() + ":" + p.getPort()).toList());
  }

  private static InetSocketAddress parsePoint(String point) {
    int colon = point.lastIndexOf(':');
    // A bare IPv6 address has several colons and no port; [v6]:port has its port after "]:".
    boolean hasPort = colon >= 0 && (point.indexOf(':') == colon || point.startsWith("["));
    String host = hasPort ? point.substring(0, colon) : point;
    host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    int port = DEFAULT_CQL_PORT;
    if (hasPort) {
      try {
        port = Integer.parseInt(point.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad port in Cassandra contact point '" + point + "'");
      }
    }
    if (host.isEmpty() || port < 1 || port > 65_535) {
      throw new IllegalArgumentException("bad Cassandra contact point '" + point + "' (expected host:port)");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }
}
