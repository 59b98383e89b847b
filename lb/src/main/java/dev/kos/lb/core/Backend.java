package dev.kos.lb.core;

/** One place a request can go: a serving instance of an app, at the host and port it listens on. */
public record Backend(String instanceId, String host, int port) {

  public String address() {
    return host + ":" + port;
  }
}
