package dev.kos.cli.common;

import dev.kos.bus.client.ClientProblem;

/** A problem the user can fix; printed as one line without a stack trace, exit code 2. */
public final class UsageProblem extends ClientProblem {

  public UsageProblem(String message) {
    super(message);
  }
}
