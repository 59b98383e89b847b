package dev.kos.lb.core;

/**
 * One place a request can go: the task of a serving instance of an app, at the host and port it listens on. The task
 * id (not only the instance id) names it, so an access log line says which run of an instance answered.
 */
public record Backend(String taskId, String host, int port) {

  public String address() {
    return host + ":" + port;
  }
}
