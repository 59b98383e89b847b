package dev.kos.bus.catalog;

/** One way an existing topic differs from the catalogue, in words an operator can act on. */
public record TopicConflict(String topic, String setting, String expected, String actual) {

  @Override
  public String toString() {
    return topic + ": " + setting + " is " + actual + " on the cluster but kos expects " + expected;
  }
}
