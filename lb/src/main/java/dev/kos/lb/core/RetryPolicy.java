package dev.kos.lb.core;

import java.util.Locale;
import java.util.Set;

/**
 * Which failed requests go to another backend. A request whose connection was refused never reached an app,
 * so it is retried whatever its method (as nginx's {@code proxy_next_upstream} does for a request not yet
 * sent). A request that was sent and then lost its connection may have had its effect: only idempotent methods
 * (RFC 9110 section 9.2.2) are sent again. Never more than {@code maxAttempts} tries in all.
 */
public record RetryPolicy(int maxAttempts) {

  /** The idempotent methods of RFC 9110. */
  public static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

  /**
   * Five tries: refusals are cheap (no request reached an app), and while an app scales up several new instances
   * may refuse for a moment before they listen.
   */
  public static final RetryPolicy DEFAULT = new RetryPolicy(5);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
  }

  /** How a try failed. */
  public enum Failure {
    /** The backend refused or dropped the connection before the request was sent. */
    REFUSED,
    /** The request was sent (in part or whole) and the connection broke before a response came. */
    BROKEN_AFTER_SEND
  }

  /** Whether to try again after the {@code attempts}-th try of a {@code method} request failed so. */
  public boolean mayRetry(String method, Failure failure, int attempts) {
    if (attempts >= maxAttempts) {
      return false;
    }
    return failure == Failure.REFUSED || idempotent(method);
  }

  public static boolean idempotent(String method) {
    return IDEMPOTENT.contains(method.toUpperCase(Locale.ROOT));
  }
}
