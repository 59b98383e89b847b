package dev.kos.cli.common;

/** A problem the user can fix; printed as one line without a stack trace, exit code 2. */
public final class UsageProblem extends RuntimeException {

  public UsageProblem(String message) {
    super(message);
  }
}
