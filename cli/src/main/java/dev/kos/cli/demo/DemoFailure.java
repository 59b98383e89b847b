package dev.kos.cli.demo;

/** A step of the demo that did not come true; its message says which and what was seen. */
final class DemoFailure extends RuntimeException {

  DemoFailure(String message) {
    super(message);
  }

  DemoFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
