package dev.kos.lb.core;

/** A backend and the requests it has in flight through this balancer now. */
public record BackendLoad(Backend backend, int inFlight) {
}
