package dev.kos.lb.core;

/** How a backend is chosen among those that may take a request. */
public enum Strategy {
  /** Each in turn. */
  ROUND_ROBIN,
  /** The one with the fewest requests in flight; ties in turn. */
  LEAST_CONNECTIONS
}
