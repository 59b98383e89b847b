package dev.kos.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request the API answers with an error: the HTTP status and a reason a person can act on, sent as JSON
 * {@code {"status": 403, "error": "Forbidden", "reason": "..."}} plus any details.
 */
final class ApiProblem extends RuntimeException {

  private final int status;
  private final transient ObjectNode details;

  ApiProblem(int status, String reason) {
    this(status, reason, null);
  }

  ApiProblem(int status, String reason, ObjectNode details) {
    super(reason);
    this.status = status;
    this.details = details;
  }

  int status() {
    return status;
  }

  ObjectNode details() {
    return details;
  }
}
