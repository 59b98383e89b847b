package dev.kos.bus.json;

import java.util.List;
import java.util.stream.Collectors;

/** A JSON document that does not fit its Avro schema, with every reason why. */
public final class JsonAvroException extends RuntimeException {

  private final String schemaName;
  private final List<Violation> violations;

  JsonAvroException(String schemaName, List<Violation> violations) {
    super(describe(schemaName, violations));
    this.schemaName = schemaName;
    this.violations = List.copyOf(violations);
  }

  /** The full name of the schema the document was checked against. */
  public String schemaName() {
    return schemaName;
  }

  /** At least one violation: a record's unknown fields first, then its fields in schema order. */
  public List<Violation> violations() {
    return violations;
  }

  private static String describe(String schemaName, List<Violation> violations) {
    String heading = violations.size() == 1
        ? "1 problem in the JSON for " + schemaName + ":"
        : violations.size() + " problems in the JSON for " + schemaName + ":";
    return violations.stream()
        .map(violation -> "  " + violation.message())
        .collect(Collectors.joining("\n", heading + "\n", ""));
  }
}
