package dev.kos.bus.testing;

import dev.kos.bus.registry.RegistryState;
import dev.kos.bus.registry.SchemaRegistryClient;
import dev.kos.bus.registry.SchemaRegistryException;
import org.apache.avro.Schema;

/** The registry's real rules without HTTP or Kafka, for unit tests of serdes and topologies. */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

  private final RegistryState state = new RegistryState();

  @Override
  public int register(String subject, Schema schema) {
    RegistryState.Registration decision = state.decide(subject, schema);
    if (decision instanceof RegistryState.Registration.NewVersion created) {
      state.apply(created.version());
      return created.version().id();
    }
    if (decision instanceof RegistryState.Registration.Existing existing) {
      return existing.version().id();
    }
    throw new SchemaRegistryException(((RegistryState.Registration.Incompatible) decision).reason());
  }

  @Override
  public Schema schemaById(int id) {
    return state.schemaById(id).orElseThrow(() -> new SchemaRegistryException.NotFound("schema " + id + " not found"));
  }
}
