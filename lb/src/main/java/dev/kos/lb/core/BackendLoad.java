package dev.kos.lb.core;

/**
 * A backend, the requests it has in flight through this balancer now, and whether it failed a request a moment
 * ago (refused a connection, broke one): such a backend is tried only when no other may take the request.
 */
public record BackendLoad(Backend backend, int inFlight, boolean failedRecently) {

  public BackendLoad(Backend backend, int inFlight) {
    this(backend, inFlight, false);
  }
}
