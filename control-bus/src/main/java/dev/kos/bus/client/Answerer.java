package dev.kos.bus.client;

/** Who answers a kind of command on kos.command-results, so that silence can be explained. */
public enum Answerer {
  APPS_FRAMEWORK("framework", "the apps framework"),
  JOBS_FRAMEWORK("framework", "the jobs framework"),
  KAFKA_FRAMEWORK("framework", "the kafka framework"),
  ALLOCATOR("allocator", "the allocator");

  private final String kind;
  private final String name;

  Answerer(String kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  public String kind() {
    return kind;
  }

  public String displayName() {
    return name;
  }
}
