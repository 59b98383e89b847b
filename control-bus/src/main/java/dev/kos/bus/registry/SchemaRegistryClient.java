package dev.kos.bus.registry;

import org.apache.avro.Schema;

/** What serdes need of a schema registry: an id for a schema under a subject, and a schema by id. */
public interface SchemaRegistryClient {

  /** Registers (or finds) the schema under the subject and returns its global id. */
  int register(String subject, Schema schema);

  /** The schema with this id. */
  Schema schemaById(int id);
}
