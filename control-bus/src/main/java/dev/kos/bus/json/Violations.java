package dev.kos.bus.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Collects the problems of one conversion, so that a person sees them all at once.
 * A conversion that recorded a problem returns {@code null} for that value; the partial
 * result is discarded, so the {@code null} never escapes.
 */
final class Violations {

  private final List<Violation> found = new ArrayList<>();

  /** Records that {@code node} does not fit {@code schema}, and returns the placeholder result. */
  Object reject(JsonPath path, Schema schema, JsonNode node) {
    return add(path, Descriptions.expected(schema), Descriptions.found(node));
  }

  /** As {@link #reject(JsonPath, Schema, JsonNode)}, with why a value of the right JSON kind still does not fit. */
  Object reject(JsonPath path, Schema schema, JsonNode node, String why) {
    return add(path, Descriptions.expected(schema), Descriptions.found(node) + " (" + why + ")");
  }

  Object add(JsonPath path, String expected, String found) {
    this.found.add(new Violation(path.text(), expected, found));
    return null;
  }

  /** Marks the current position, for {@link #reexpect}. */
  int mark() {
    return found.size();
  }

  /**
   * Re-words the violations recorded since {@code mark} at exactly {@code path} to expect
   * {@code schema}: a value read through a union's sole branch should be told that the union,
   * e.g. "int or null", is what was wanted, not just the branch.
   */
  void reexpect(int mark, JsonPath path, Schema schema) {
    for (int i = mark; i < found.size(); i++) {
      Violation violation = found.get(i);
      if (violation.path().equals(path.text())) {
        found.set(i, new Violation(violation.path(), Descriptions.expected(schema), violation.found()));
      }
    }
  }

  void throwIfAny(Schema schema) {
    if (!found.isEmpty()) {
      throw new JsonAvroException(schema.getFullName(), found);
    }
  }
}
