package dev.kos.bus.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * The registry's contents and its rules, with no I/O: subjects hold versions, each version
 * names a schema id, and one schema text has one id across all subjects (as Confluent's
 * registry does, so ids stay stable when the same schema serves two topics).
 * Registering a new version requires it to read data written with the subject's latest
 * version (BACKWARD compatibility).
 */
public final class RegistryState {

  /** One registered version of a subject. */
  public record Version(String subject, int version, int id, Schema schema) {
  }

  /** The decision for a registration request. */
  public sealed interface Registration {
    /** The schema is already registered under the subject: nothing to write. */
    record Existing(Version version) implements Registration {
    }

    /** A new version to append; the caller persists it, then {@link #apply}s it. */
    record NewVersion(Version version) implements Registration {
    }

    /** Refused, with a reason that says what to change. */
    record Incompatible(String reason) implements Registration {
    }
  }

  private final Map<String, List<Version>> subjects = new TreeMap<>();
  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, Integer> idsByCanonicalText = new HashMap<>();

  public synchronized Registration decide(String subject, Schema schema) {
    String canonical = canonical(schema);
    List<Version> versions = subjects.getOrDefault(subject, List.of());
    for (Version v : versions) {
      if (canonical(v.schema()).equals(canonical)) {
        return new Registration.Existing(v);
      }
    }
    if (!versions.isEmpty()) {
      Version latest = versions.get(versions.size() - 1);
      SchemaCompatibility.SchemaPairCompatibility result =
          SchemaCompatibility.checkReaderWriterCompatibility(schema, latest.schema());
      if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
        return new Registration.Incompatible("schema for subject '" + subject
            + "' is not BACKWARD compatible with version " + latest.version() + ": "
            + result.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                .toList()
            + ". Give new fields a default, and do not remove or retype fields without defaults.");
      }
    }
    int id = idsByCanonicalText.getOrDefault(canonical, nextId());
    int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
    return new Registration.NewVersion(new Version(subject, version, id, schema));
  }

  /** Records a version, whether just decided here or replayed from the log. Idempotent. */
  public synchronized void apply(Version v) {
    List<Version> versions = subjects.computeIfAbsent(v.subject(), s -> new ArrayList<>());
    if (versions.stream().noneMatch(existing -> existing.version() == v.version())) {
      versions.add(v);
      versions.sort((a, b) -> Integer.compare(a.version(), b.version()));
    }
    schemasById.putIfAbsent(v.id(), v.schema());
    idsByCanonicalText.putIfAbsent(canonical(v.schema()), v.id());
  }

  public synchronized Optional<Schema> schemaById(int id) {
    return Optional.ofNullable(schemasById.get(id));
  }

  public synchronized List<String> subjects() {
    return List.copyOf(subjects.keySet());
  }

  public synchronized List<Version> versions(String subject) {
    return List.copyOf(subjects.getOrDefault(subject, List.of()));
  }

  public synchronized Optional<Version> latest(String subject) {
    List<Version> versions = subjects.getOrDefault(subject, List.of());
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  private int nextId() {
    return schemasById.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
  }

  /** Schema.toString is deterministic for a parsed schema, docs and defaults included. */
  private static String canonical(Schema schema) {
    return schema.toString();
  }
}
